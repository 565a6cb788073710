//! `tripoint export geojson`: a scenario's layers as GeoJSON files for QGIS and other GIS
//! (docs/gis.md): the network, lakes, named points, risk sources, depots, teams, roads;
//! the plume of the scenario's releases at a moment and the forecast arrival at each
//! point; a plan's points with their schedule.

use crate::commands::forecast::parse_clock;
use crate::gis::export::{self as layers, Layer};
use crate::i18n;
use crate::input::{CliError, CliResult, check_output_dir, load_scenario, read_text_file};
use anyhow::Context as _;
use std::path::PathBuf;
use tripoint_sim::forecast::{self, ForecastRequest};
use tripoint_sim::time::{SimDuration, SimTime};

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    #[command(subcommand)]
    pub what: ExportWhat,
}

#[derive(clap::Subcommand, Debug)]
pub enum ExportWhat {
    /// Write the scenario as GeoJSON layers (WGS84): reaches, nodes, lakes, named points,
    /// risk sources, depots, teams, road nodes, roads; with releases, the plume at a moment
    /// and the arrival at every point; with --plan, the plan's points and schedule.
    Geojson(GeojsonArgs),
}

#[derive(clap::Args, Debug)]
pub struct GeojsonArgs {
    /// Scenario file (default: the built-in demonstration zone).
    pub scenario: Option<PathBuf>,
    /// Folder for the `.geojson` files (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// A plan document (`plan-INCIDENT.json` written by `tripoint run --plans DIR`): its
    /// points and schedule go into `plan.geojson`.
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// The moment of the plume, `HH:MM` (day 1) or `D2 08:00` (default: 12 hours after
    /// the first release).
    #[arg(long, value_name = "HH:MM")]
    pub at: Option<String>,
    /// Flow regime at the start (default: the scenario's).
    #[arg(long, value_name = "REGIME")]
    pub flow: Option<String>,
}

/// Default moment of the plume after the first release.
const PLUME_DEFAULT_AFTER: SimDuration = SimDuration(12 * 3600);

pub fn run(args: &ExportArgs) -> CliResult {
    match &args.what {
        ExportWhat::Geojson(a) => geojson(a),
    }
}

fn geojson(args: &GeojsonArgs) -> CliResult {
    let scenario = load_scenario(args.scenario.as_deref())?;
    let plan = match &args.plan {
        Some(path) => {
            let text = read_text_file(path, layers::PLAN_FILE_BYTES_MAX, "a plan document")?;
            let shown = path.display();
            let document: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| CliError::Input(format!("{shown}:{}:{}: not JSON: {e}", e.line(), e.column())))?;
            Some(layers::plan(&document).map_err(|e| CliError::Input(format!("{shown}: {e}")))?)
        }
        None => None,
    };
    let mut request = ForecastRequest::from_scenario(&scenario);
    request.journal = false;
    request.until_passed = Some(request.horizon + forecast::SETTLE_EXTRA_MAX);
    if let Some(regime) = &args.flow {
        request.regime = scenario.regime_idx(regime).ok_or_else(|| {
            let known: Vec<&str> = scenario.regimes.iter().map(|r| r.id.as_str()).collect();
            CliError::Input(format!(
                "--flow: unknown regime {regime:?} (known: {})",
                known.join(", ")
            ))
        })?;
    }
    let first_release = request.releases.iter().map(|r| r.start).min();
    let at = match (&args.at, first_release) {
        (Some(text), Some(first)) => {
            let at = parse_clock(text).map_err(CliError::Input)?;
            if at < first {
                return Err(CliError::Input(format!(
                    "--at {at}: before the first release at {first}; the plume is drawn from then on"
                )));
            }
            Some(at)
        }
        (Some(_), None) => {
            return Err(CliError::Input(format!(
                "--at: {} has no release, so there is no plume to draw",
                scenario.source_name
            )));
        }
        (None, first) => first.map(|first| first + PLUME_DEFAULT_AFTER),
    };
    check_output_dir(&args.out, "--out")?;

    let mut written: Vec<Layer> = layers::scenario_layers(&scenario);
    if let Some(at) = at {
        let profiles = forecast::profiles_at(&scenario, &request, at).map_err(|e| CliError::Input(e.to_string()))?;
        written.push(Layer {
            file_name: "plume.geojson",
            collection: layers::plume(&scenario, &profiles, at),
        });
        let arrival = forecast::run_with_spread(&scenario, &request).map_err(|e| CliError::Input(e.to_string()))?;
        written.push(Layer {
            file_name: "arrival.geojson",
            collection: layers::arrival(&scenario, &arrival),
        });
    }
    if let Some(plan) = plan {
        written.push(Layer {
            file_name: "plan.geojson",
            collection: plan,
        });
    }
    for layer in &written {
        let path = args.out.join(layer.file_name);
        std::fs::write(&path, tripoint_db::geojson::to_text(&layer.collection))
            .with_context(|| format!("writing {}", path.display()))?;
        let n = layer.collection["features"].as_array().map_or(0, Vec::len);
        println!("{}  {n}", path.display());
    }
    println!(
        "{}",
        i18n::current().t_args(
            "export-geojson-written",
            &[
                ("count", written.len().to_string().into()),
                ("dir", args.out.display().to_string().into()),
                ("at", at.map_or("-".to_string(), |t: SimTime| t.to_string()).into()),
            ]
        )
    );
    Ok(())
}
