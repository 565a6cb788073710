//! Validation of the transport model against closed-form solutions: a slug in a long
//! straight reach (with decay), a continuous source (Ogata–Banks), a lake washout (CSTR),
//! and a grid-convergence study. Used by the test suite and by `tripoint validate`.

use crate::analytic;
use crate::forecast::{self, ForecastRequest};
use crate::scenario::{Scenario, SourceText};
use crate::time::SimDuration;
use serde::Serialize;

/// A long straight reach with one release and sampling points downstream.
#[derive(Clone, Debug, Serialize)]
pub struct SlugCase {
    pub length_m: f64,
    pub width_m: f64,
    pub depth_m: f64,
    pub discharge_m3_s: f64,
    pub dispersion_m2_s: f64,
    pub decay_per_day: f64,
    pub mass_kg: f64,
    /// Release chainage [m].
    pub release_at_m: f64,
    /// Distances of the sampling points below the release [m].
    pub distances_m: Vec<f64>,
    pub cell_length_m: f64,
    pub hours: f64,
}

impl Default for SlugCase {
    fn default() -> Self {
        SlugCase {
            length_m: 80_000.0,
            width_m: 100.0,
            depth_m: 5.0,
            discharge_m3_s: 250.0,
            dispersion_m2_s: 30.0,
            decay_per_day: 0.2,
            mass_kg: 1000.0,
            release_at_m: 5_000.0,
            distances_m: vec![5_000.0, 10_000.0, 20_000.0, 40_000.0],
            cell_length_m: 100.0,
            hours: 36.0,
        }
    }
}

/// Numerical against analytical peak at one distance.
#[derive(Clone, Debug, Serialize)]
pub struct PeakComparison {
    pub distance_m: f64,
    pub analytic_peak_s: f64,
    pub model_peak_s: f64,
    /// (model − analytic) / analytic.
    pub peak_time_error: f64,
    pub analytic_peak_mg_l: f64,
    pub model_peak_mg_l: f64,
    pub peak_conc_error: f64,
    /// ∑|model − analytic| / ∑ analytic over the sampled series.
    pub series_l1_error: f64,
}

/// Problems a validation case can meet: its own scenario is generated, so these are bugs.
#[derive(Debug)]
pub struct ValidationError(pub String);

impl std::fmt::Display for ValidationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ValidationError {}

/// Geometry of a generated straight channel.
struct Channel {
    length_m: f64,
    width_m: f64,
    depth_m: f64,
    discharge_m3_s: f64,
    dispersion_m2_s: f64,
    cell_length_m: f64,
}

fn straight_reach_scenario(case_name: &str, channel: &Channel, extra: &str) -> Result<Scenario, ValidationError> {
    let text = format!(
        r#"
[scenario]
name = "{case_name}"
default_regime = "steady"
cell_length_m = {}
output_step_s = 60

[[jurisdictions]]
id = "test"
name = "Test"

[[regimes]]
id = "steady"

[[nodes]]
id = "upstream"
name = "Upstream"
kind = "inflow"
jurisdiction = "test"
lon = 120.0
lat = 31.0

[[nodes]]
id = "downstream"
name = "Downstream"
kind = "outlet"
jurisdiction = "test"
lon = 121.0
lat = 31.0

[[reaches]]
id = "channel"
name = "Channel"
from = "upstream"
to = "downstream"
jurisdiction = "test"
length_m = {}
width_m = {}
depth_m = {}
dispersion_m2_s = {}
discharge_m3_s = {{ steady = {} }}
{extra}
"#,
        channel.cell_length_m,
        channel.length_m,
        channel.width_m,
        channel.depth_m,
        channel.dispersion_m2_s,
        channel.discharge_m3_s,
    );
    Scenario::parse(&SourceText::new(format!("<validation>/{case_name}.toml"), text))
        .map_err(|e| ValidationError(format!("generated scenario is invalid: {e}")))
}

fn pollutant_toml(decay_per_day: f64) -> String {
    format!(
        r#"
[[pollutants]]
id = "tracer"
name = "Tracer"
standard_item = "antimony"
decay_per_day = {decay_per_day}
detection_limit_mg_l = 1e-9
limit_mg_l = 0.005
"#
    )
}

/// Runs the slug case and compares the peaks at every sampling distance.
pub fn slug(case: &SlugCase) -> Result<Vec<PeakComparison>, ValidationError> {
    let mut extra = pollutant_toml(case.decay_per_day);
    for (i, d) in case.distances_m.iter().enumerate() {
        extra.push_str(&format!(
            "\n[[points]]\nid = \"x{i}\"\nname = \"x{i}\"\nkind = \"section\"\njurisdiction = \"test\"\nreach = \"channel\"\nchainage_m = {}\n",
            case.release_at_m + d
        ));
    }
    extra.push_str(&format!(
        "\n[[releases]]\npollutant = \"tracer\"\nmass_kg = {}\nreach = \"channel\"\nchainage_m = {}\n",
        case.mass_kg, case.release_at_m
    ));
    let channel = Channel {
        length_m: case.length_m,
        width_m: case.width_m,
        depth_m: case.depth_m,
        discharge_m3_s: case.discharge_m3_s,
        dispersion_m2_s: case.dispersion_m2_s,
        cell_length_m: case.cell_length_m,
    };
    let scenario = straight_reach_scenario("slug", &channel, &extra)?;
    let mut request = ForecastRequest::from_scenario(&scenario);
    request.horizon = SimDuration((case.hours * 3600.0) as i64);
    request.journal = false;
    let result = forecast::run(&scenario, &request).map_err(|e| ValidationError(e.to_string()))?;
    let area_m2 = case.width_m * case.depth_m;
    let velocity = case.discharge_m3_s / area_m2;
    let k = case.decay_per_day / 86_400.0;
    let mass_g = case.mass_kg * 1000.0;
    // The release enters the cell holding its chainage: its centre is the effective origin.
    let dx = case.length_m / (case.length_m / case.cell_length_m).round().max(3.0);
    let origin_m = ((case.release_at_m / dx).floor() + 0.5) * dx;
    let comparisons = case
        .distances_m
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let series = &result.series[i];
            let x = scenario.points[i].location;
            let chainage = match x {
                crate::scenario::Location::Reach { chainage_m, .. } => chainage_m,
                _ => unreachable!("validation points are on the reach"),
            };
            let distance = chainage - origin_m;
            let times: Vec<i64> = series.times.iter().map(|t| t.seconds()).collect();
            let conc = &series.conc[0];
            let (model_peak_s, model_peak) = forecast::peak(&times, conc).unwrap_or((0, 0.0));
            let (analytic_peak_s, analytic_peak) =
                analytic::slug_peak_at(mass_g, area_m2, velocity, case.dispersion_m2_s, k, distance);
            let (mut diff, mut total) = (0.0, 0.0);
            for (t, c) in times.iter().zip(conc) {
                let exact = analytic::slug_concentration(
                    mass_g,
                    area_m2,
                    velocity,
                    case.dispersion_m2_s,
                    k,
                    distance,
                    *t as f64,
                );
                diff += (c - exact).abs();
                total += exact;
            }
            PeakComparison {
                distance_m: distance,
                analytic_peak_s,
                model_peak_s: model_peak_s as f64,
                peak_time_error: (model_peak_s as f64 - analytic_peak_s) / analytic_peak_s,
                analytic_peak_mg_l: analytic_peak,
                model_peak_mg_l: model_peak,
                peak_conc_error: (model_peak - analytic_peak) / analytic_peak,
                series_l1_error: diff / total,
            }
        })
        .collect();
    Ok(comparisons)
}

/// Continuous source against Ogata–Banks.
#[derive(Clone, Debug, Serialize)]
pub struct ContinuousComparison {
    pub time_s: f64,
    /// Largest |model − analytic| along the reach, relative to C0.
    pub max_error_relative_to_c0: f64,
    /// Distance of the half-concentration front, model and analytic [m].
    pub model_front_m: f64,
    pub analytic_front_m: f64,
}

/// Constant-concentration inflow C0 into a clean reach (as a constant-rate release at the
/// upstream node), compared with Ogata–Banks along the reach at several times.
pub fn continuous(cell_length_m: f64) -> Result<Vec<ContinuousComparison>, ValidationError> {
    let (length_m, width_m, depth_m, q, d) = (60_000.0, 100.0, 5.0, 250.0, 30.0);
    let c0 = 1.0;
    let hours = 24.0;
    let mass_kg = c0 * q * hours * 3600.0 / 1000.0;
    let extra = format!(
        "{}\n[[releases]]\npollutant = \"tracer\"\nmass_kg = {mass_kg}\nnode = \"upstream\"\nduration_min = {}\n",
        pollutant_toml(0.0),
        hours * 60.0
    );
    let channel = Channel {
        length_m,
        width_m,
        depth_m,
        discharge_m3_s: q,
        dispersion_m2_s: d,
        cell_length_m,
    };
    let scenario = straight_reach_scenario("continuous", &channel, &extra)?;
    let network = crate::transport::Network::build(&scenario).map_err(|e| ValidationError(e.to_string()))?;
    let mut transport = crate::transport::Transport::new(&scenario, network);
    transport.start_release(&scenario.releases[0]);
    let u = q / (width_m * depth_m);
    let mut out = Vec::new();
    for hour in [4, 8, 16] {
        transport.advance_to(crate::time::SimTime(hour * 3600));
        let t = (hour * 3600) as f64;
        let grid = &transport.network.reaches[0];
        let profile = transport.reach_profile(0, 0);
        let mut max_error: f64 = 0.0;
        let mut model_front = 0.0;
        let mut analytic_front = 0.0;
        for (i, c) in profile.iter().enumerate() {
            let x = (i as f64 + 0.5) * grid.dx_m;
            let exact = analytic::ogata_banks(c0, u, d, x, t);
            max_error = max_error.max((c - exact).abs() / c0);
            if *c >= 0.5 * c0 {
                model_front = x;
            }
            if exact >= 0.5 * c0 {
                analytic_front = x;
            }
        }
        out.push(ContinuousComparison {
            time_s: t,
            max_error_relative_to_c0: max_error,
            model_front_m: model_front,
            analytic_front_m: analytic_front,
        });
    }
    Ok(out)
}

/// Lake washout against the CSTR solution.
#[derive(Clone, Debug, Serialize)]
pub struct WashoutComparison {
    pub time_s: f64,
    pub model_mg_l: f64,
    pub analytic_mg_l: f64,
    pub relative_error: f64,
}

pub fn lake_washout() -> Result<Vec<WashoutComparison>, ValidationError> {
    let (volume_m3, q, decay_per_day, mass_kg) = (2.0e7, 40.0, 0.1, 500.0);
    let area_km2 = 10.0;
    let depth_m = volume_m3 / (area_km2 * 1e6);
    let text = format!(
        r#"
[scenario]
name = "washout"
default_regime = "steady"
[[jurisdictions]]
id = "test"
name = "Test"
[[regimes]]
id = "steady"
{pollutant}
[[nodes]]
id = "in"
name = "In"
kind = "inflow"
jurisdiction = "test"
lon = 120.0
lat = 31.0
[[nodes]]
id = "lake"
name = "Lake"
kind = "lake"
jurisdiction = "test"
lon = 120.1
lat = 31.0
area_km2 = {area_km2}
mean_depth_m = {depth_m}
[[nodes]]
id = "out"
name = "Out"
kind = "outlet"
jurisdiction = "test"
lon = 120.2
lat = 31.0
[[reaches]]
id = "feed"
name = "Feed"
from = "in"
to = "lake"
jurisdiction = "test"
length_m = 1000
width_m = 20
depth_m = 2
discharge_m3_s = {{ steady = {q} }}
[[reaches]]
id = "drain"
name = "Drain"
from = "lake"
to = "out"
jurisdiction = "test"
length_m = 1000
width_m = 20
depth_m = 2
discharge_m3_s = {{ steady = {q} }}
[[releases]]
pollutant = "tracer"
mass_kg = {mass_kg}
node = "lake"
"#,
        pollutant = pollutant_toml(decay_per_day)
    );
    let scenario = Scenario::parse(&SourceText::new("<validation>/washout.toml", text))
        .map_err(|e| ValidationError(format!("generated scenario is invalid: {e}")))?;
    let network = crate::transport::Network::build(&scenario).map_err(|e| ValidationError(e.to_string()))?;
    let mut transport = crate::transport::Transport::new(&scenario, network);
    transport.start_release(&scenario.releases[0]);
    let lake = scenario.node_idx("lake").expect("generated");
    let mut out = Vec::new();
    for hour in [6, 24, 72, 168, 336] {
        transport.advance_to(crate::time::SimTime(hour * 3600));
        let t = (hour * 3600) as f64;
        let model = transport.concentration_at(0, crate::scenario::Location::Node(lake));
        let exact = analytic::cstr_washout(mass_kg * 1000.0, volume_m3, q, decay_per_day / 86_400.0, t);
        out.push(WashoutComparison {
            time_s: t,
            model_mg_l: model,
            analytic_mg_l: exact,
            relative_error: (model - exact) / exact,
        });
    }
    Ok(out)
}

/// One row of the grid-convergence study.
#[derive(Clone, Debug, Serialize)]
pub struct ConvergenceRow {
    pub cell_length_m: f64,
    pub peak_conc_error: f64,
    pub peak_time_error: f64,
    pub series_l1_error: f64,
}

/// The slug case at a sequence of cell lengths, compared at one distance.
pub fn convergence(cell_lengths_m: &[f64], distance_m: f64) -> Result<Vec<ConvergenceRow>, ValidationError> {
    cell_lengths_m
        .iter()
        .map(|&cell_length_m| {
            let case = SlugCase {
                cell_length_m,
                distances_m: vec![distance_m],
                hours: 24.0,
                ..SlugCase::default()
            };
            let c = slug(&case)?.remove(0);
            Ok(ConvergenceRow {
                cell_length_m,
                peak_conc_error: c.peak_conc_error,
                peak_time_error: c.peak_time_error,
                series_l1_error: c.series_l1_error,
            })
        })
        .collect()
}

/// A reach split in two at a junction against the same reach in one piece.
#[derive(Clone, Debug, Serialize)]
pub struct JunctionComparison {
    pub distance_m: f64,
    /// (split − whole) / whole of the peak concentration.
    pub peak_conc_difference: f64,
    /// Peak time difference, split − whole [s].
    pub peak_time_difference_s: i64,
    /// ∑|split − whole| / ∑ whole over the sampled series.
    pub series_l1_difference: f64,
    /// Fraction of the released mass that left through the outlet after the horizon.
    pub fraction_out_split: f64,
    pub fraction_out_whole: f64,
}

/// Boundary check: a slug crossing an internal junction (no dispersive flux across it)
/// against the same channel without the junction, and the mass leaving at the outlet.
pub fn junction() -> Result<JunctionComparison, ValidationError> {
    let (q, width, depth, d) = (250.0, 100.0, 5.0, 30.0);
    let reach = |id: &str, from: &str, to: &str, length: f64| {
        format!(
            "\n[[reaches]]\nid = \"{id}\"\nname = \"{id}\"\nfrom = \"{from}\"\nto = \"{to}\"\njurisdiction = \"test\"\nlength_m = {length}\nwidth_m = {width}\ndepth_m = {depth}\ndispersion_m2_s = {d}\ndischarge_m3_s = {{ steady = {q} }}\n"
        )
    };
    let node = |id: &str, kind: &str, lon: f64| {
        format!(
            "\n[[nodes]]\nid = \"{id}\"\nname = \"{id}\"\nkind = \"{kind}\"\njurisdiction = \"test\"\nlon = {lon}\nlat = 31.0\n"
        )
    };
    let header = format!(
        "[scenario]\nname = \"junction\"\ndefault_regime = \"steady\"\ncell_length_m = 100\n[[jurisdictions]]\nid = \"test\"\nname = \"Test\"\n[[regimes]]\nid = \"steady\"\n{}",
        pollutant_toml(0.0)
    );
    let release = "\n[[releases]]\npollutant = \"tracer\"\nmass_kg = 1000\nreach = \"a\"\nchainage_m = 5000\n";
    let whole = format!(
        "{header}{}{}{}\n[[points]]\nid = \"p\"\nname = \"p\"\nkind = \"section\"\njurisdiction = \"test\"\nreach = \"a\"\nchainage_m = 30000\n{release}",
        node("up", "inflow", 120.0),
        node("down", "outlet", 120.2),
        reach("a", "up", "down", 60_000.0)
    );
    let split = format!(
        "{header}{}{}{}{}{}\n[[points]]\nid = \"p\"\nname = \"p\"\nkind = \"section\"\njurisdiction = \"test\"\nreach = \"b\"\nchainage_m = 10000\n{release}",
        node("up", "inflow", 120.0),
        node("mid", "junction", 120.1),
        node("down", "outlet", 120.2),
        reach("a", "up", "mid", 20_000.0),
        reach("b", "mid", "down", 40_000.0)
    );
    let run = |name: &str, text: String| -> Result<(Vec<i64>, Vec<f64>, f64), ValidationError> {
        let scenario = Scenario::parse(&SourceText::new(format!("<validation>/{name}.toml"), text))
            .map_err(|e| ValidationError(format!("generated scenario is invalid: {e}")))?;
        let mut request = ForecastRequest::from_scenario(&scenario);
        // Long enough for the whole slug to leave 55 km of channel at 0.5 m/s.
        request.horizon = SimDuration::from_hours(48);
        request.journal = false;
        let f = forecast::run(&scenario, &request).map_err(|e| ValidationError(e.to_string()))?;
        let times = f.series[0].times.iter().map(|t| t.seconds()).collect();
        let balance = &f.mass_balance[0];
        Ok((times, f.series[0].conc[0].clone(), balance.out_kg / balance.released_kg))
    };
    let (times, whole_conc, whole_out) = run("junction-whole", whole)?;
    let (_, split_conc, split_out) = run("junction-split", split)?;
    let (t_whole, c_whole) = forecast::peak(&times, &whole_conc).unwrap_or((0, 0.0));
    let (t_split, c_split) = forecast::peak(&times, &split_conc).unwrap_or((0, 0.0));
    let diff: f64 = whole_conc.iter().zip(&split_conc).map(|(a, b)| (a - b).abs()).sum();
    let total: f64 = whole_conc.iter().sum();
    Ok(JunctionComparison {
        distance_m: 25_000.0,
        peak_conc_difference: (c_split - c_whole) / c_whole,
        peak_time_difference_s: t_split - t_whole,
        series_l1_difference: diff / total,
        fraction_out_split: split_out,
        fraction_out_whole: whole_out,
    })
}
