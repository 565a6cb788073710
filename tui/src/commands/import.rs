//! `tripoint import geojson`: a river network drawn as GeoJSON lines (and named points)
//! into a scenario skeleton that `tripoint check` reads (docs/gis.md).

use crate::gis::import::{self, ImportOptions};
use crate::i18n;
use crate::input::{CliError, CliResult, check_output_file, read_text_file};
use anyhow::Context as _;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub what: ImportWhat,
}

#[derive(clap::Subcommand, Debug)]
pub enum ImportWhat {
    /// Make a scenario skeleton from a GeoJSON FeatureCollection: LineStrings (drawn
    /// downstream) become reaches, Points become named points on the nearest reach.
    Geojson(GeojsonImportArgs),
}

#[derive(clap::Args, Debug)]
pub struct GeojsonImportArgs {
    /// The GeoJSON file (WGS84), e.g. waterways exported from OpenStreetMap.
    pub file: PathBuf,
    /// The scenario skeleton to write (TOML).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Line ends closer than this are one node [m].
    #[arg(long, default_value_t = 25.0, value_name = "M", allow_negative_numbers = true)]
    pub node_tolerance_m: f64,
    /// A point farther than this from every line is refused [m].
    #[arg(long, default_value_t = 500.0, value_name = "M", allow_negative_numbers = true)]
    pub snap_max_m: f64,
}

/// Largest GeoJSON file read [bytes].
const GEOJSON_FILE_BYTES_MAX: u64 = 64 * 1024 * 1024;

pub fn run(args: &ImportArgs) -> CliResult {
    match &args.what {
        ImportWhat::Geojson(a) => geojson(a),
    }
}

fn geojson(args: &GeojsonImportArgs) -> CliResult {
    for (flag, value, max) in [
        ("--node-tolerance-m", args.node_tolerance_m, 1000.0),
        ("--snap-max-m", args.snap_max_m, 10_000.0),
    ] {
        if !(value.is_finite() && value > 0.0 && value <= max) {
            return Err(CliError::Input(format!(
                "{flag} must be above 0 and at most {max} m, got {value}"
            )));
        }
    }
    let shown = args.file.display().to_string();
    let text = read_text_file(&args.file, GEOJSON_FILE_BYTES_MAX, "a GeoJSON file")?;
    let document: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| CliError::Input(format!("{shown}:{}:{}: not JSON: {e}", e.line(), e.column())))?;
    check_output_file(&args.out, "--out")?;
    let options = ImportOptions {
        node_tolerance_m: args.node_tolerance_m,
        snap_max_m: args.snap_max_m,
    };
    let source_name = args
        .file
        .file_name()
        .map_or(shown.clone(), |n| n.to_string_lossy().to_string());
    let skeleton =
        import::skeleton(&document, &source_name, options).map_err(|e| CliError::Input(format!("{shown}: {e}")))?;
    std::fs::write(&args.out, &skeleton).with_context(|| format!("writing {}", args.out.display()))?;
    println!(
        "{}",
        i18n::current().t_args(
            "import-geojson-written",
            &[("file", args.out.display().to_string().into())]
        )
    );
    Ok(())
}
