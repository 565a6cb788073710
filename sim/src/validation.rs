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
    // Measured as a user measures: from the chainage typed for the release to the named
    // points, with the peak the forecast reports for each point.
    let comparisons = case
        .distances_m
        .iter()
        .enumerate()
        .map(|(i, &distance)| {
            let reported = result
                .points
                .iter()
                .find(|p| p.point == scenario.points[i].id)
                .ok_or_else(|| ValidationError(format!("no forecast at point x{i}")))?;
            let (model_peak_s, model_peak) = (reported.peak_s.unwrap_or(0), reported.peak_mg_l);
            let (times, conc) = forecast::held_series(&result.series[i], 0, crate::time::SimTime::ZERO);
            let conc = &conc;
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
            Ok(PeakComparison {
                distance_m: distance,
                analytic_peak_s,
                model_peak_s: model_peak_s as f64,
                peak_time_error: (model_peak_s as f64 - analytic_peak_s) / analytic_peak_s,
                analytic_peak_mg_l: analytic_peak,
                model_peak_mg_l: model_peak,
                peak_conc_error: (model_peak - analytic_peak) / analytic_peak,
                series_l1_error: diff / total,
            })
        })
        .collect::<Result<Vec<_>, ValidationError>>()?;
    Ok(comparisons)
}

/// A second straight channel unlike the first: the Taipu's size and flow (180 m × 5 m,
/// 180 m³/s, D = 150 m²/s), a release at an odd chainage, stations at odd distances.
pub fn taipu_like_case() -> SlugCase {
    SlugCase {
        length_m: 70_000.0,
        width_m: 180.0,
        depth_m: 5.0,
        discharge_m3_s: 180.0,
        dispersion_m2_s: 150.0,
        decay_per_day: 0.0,
        mass_kg: 300.0,
        release_at_m: 3_337.0,
        distances_m: vec![5_000.0, 7_777.0, 15_000.0, 33_333.0, 60_000.0],
        cell_length_m: 100.0,
        hours: 100.0,
    }
}

/// The peak-time error at one station as the release moves across one cell: before the
/// release was split between cells, it depended on where in its cell the chainage fell.
#[derive(Clone, Debug, Serialize)]
pub struct PlacementRow {
    /// Release chainage [m] and its position within its 100 m cell [0, 1).
    pub release_at_m: f64,
    pub position_in_cell: f64,
    pub peak_time_error: f64,
    pub peak_conc_error: f64,
}

pub fn release_placement(distance_m: f64) -> Result<Vec<PlacementRow>, ValidationError> {
    [5_000.0, 5_025.0, 5_050.0, 5_075.0, 5_099.0]
        .iter()
        .map(|&release_at_m| {
            let case = SlugCase {
                release_at_m,
                distances_m: vec![distance_m],
                hours: 12.0,
                ..SlugCase::default()
            };
            let c = slug(&case)?.remove(0);
            Ok(PlacementRow {
                release_at_m,
                position_in_cell: (release_at_m % 100.0) / 100.0,
                peak_time_error: c.peak_time_error,
                peak_conc_error: c.peak_conc_error,
            })
        })
        .collect()
}

/// A release into a lake of one cell, read through the forecast at a point on the lake.
#[derive(Clone, Debug, Serialize)]
pub struct LakeTankComparison {
    /// M/V [mg/L]: the highest concentration the lake can hold.
    pub analytic_peak_mg_l: f64,
    /// The forecast's reported peak at the lake's point [mg/L].
    pub model_peak_mg_l: f64,
    pub peak_conc_error: f64,
    /// Largest |model − analytic| / analytic over the reported series in the first week.
    pub series_max_relative_error: f64,
}

/// Sample times of a timed release, and the closed-form figures it is compared with.
#[derive(Clone, Debug, Serialize)]
pub struct TimedReleaseComparison {
    pub distance_m: f64,
    /// Which reach the point is on: above or below the junction.
    pub reach: String,
    pub analytic_peak_s: f64,
    pub model_peak_s: f64,
    pub peak_time_error: f64,
    pub analytic_peak_mg_l: f64,
    pub model_peak_mg_l: f64,
    pub peak_conc_error: f64,
    /// How far below its peak the analytical curve is at the model's peak time [-]: near
    /// the release a 3-hour release has a flat top, where the peak time is ill-defined.
    pub analytic_drop_at_model_peak: f64,
    /// When the curve rises through half its peak, analytical and model [s].
    pub analytic_half_rise_s: f64,
    pub model_half_rise_s: f64,
    /// When it falls back through half its peak, analytical and model [s].
    pub analytic_half_fall_s: f64,
    pub model_half_fall_s: f64,
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

/// The lake of the washout cases: 2 × 10⁷ m³, Q = 40 m³/s, k = 0.1 /day, 500 kg released
/// at the lake node at time zero.
const WASHOUT: (f64, f64, f64, f64) = (2.0e7, 40.0, 0.1, 500.0);

fn washout_scenario(extra: &str) -> Result<Scenario, ValidationError> {
    let (volume_m3, q, decay_per_day, mass_kg) = WASHOUT;
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
{extra}
"#,
        pollutant = pollutant_toml(decay_per_day)
    );
    Scenario::parse(&SourceText::new("<validation>/washout.toml", text))
        .map_err(|e| ValidationError(format!("generated scenario is invalid: {e}")))
}

pub fn lake_washout() -> Result<Vec<WashoutComparison>, ValidationError> {
    let (volume_m3, q, decay_per_day, mass_kg) = WASHOUT;
    let scenario = washout_scenario("")?;
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

/// A `[[reaches]]` entry of the generated channels: (width, depth, dispersion, discharge).
fn reach_toml(id: &str, from: &str, to: &str, length_m: f64, (width, depth, d, q): (f64, f64, f64, f64)) -> String {
    format!(
        "\n[[reaches]]\nid = \"{id}\"\nname = \"{id}\"\nfrom = \"{from}\"\nto = \"{to}\"\njurisdiction = \"test\"\nlength_m = {length_m}\nwidth_m = {width}\ndepth_m = {depth}\ndispersion_m2_s = {d}\ndischarge_m3_s = {{ steady = {q} }}\n"
    )
}

/// A `[[nodes]]` entry of the generated channels.
fn node(id: &str, kind: &str, lon: f64) -> String {
    format!(
        "\n[[nodes]]\nid = \"{id}\"\nname = \"{id}\"\nkind = \"{kind}\"\njurisdiction = \"test\"\nlon = {lon}\nlat = 31.0\n"
    )
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
    let reach = |id: &str, from: &str, to: &str, length: f64| reach_toml(id, from, to, length, (width, depth, d, q));
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

/// The washout lake read as a user reads it: a named point on the lake, the forecast's
/// reported peak and series, against M/V and the CSTR solution.
pub fn lake_one_tank() -> Result<LakeTankComparison, ValidationError> {
    let (volume_m3, q, decay_per_day, mass_kg) = WASHOUT;
    let scenario = washout_scenario(
        "[[points]]\nid = \"lake_point\"\nname = \"Lake\"\nkind = \"buoy\"\njurisdiction = \"test\"\nnode = \"lake\"\n",
    )?;
    let mut request = ForecastRequest::from_scenario(&scenario);
    request.horizon = SimDuration::from_hours(168);
    request.journal = false;
    let f = forecast::run(&scenario, &request).map_err(|e| ValidationError(e.to_string()))?;
    let point = scenario.point_idx("lake_point").expect("generated");
    let reported = f
        .points
        .iter()
        .find(|p| p.point == "lake_point")
        .ok_or_else(|| ValidationError("no forecast at the lake's point".into()))?;
    let analytic_peak = mass_kg * 1000.0 / volume_m3;
    let (times, conc) = forecast::held_series(&f.series[point], 0, crate::time::SimTime::ZERO);
    let series_max_relative_error = times
        .iter()
        .zip(&conc)
        .filter(|(t, _)| **t >= 600)
        .map(|(t, c)| {
            let exact = analytic::cstr_washout(mass_kg * 1000.0, volume_m3, q, decay_per_day / 86_400.0, *t as f64);
            (c - exact).abs() / exact
        })
        .fold(0.0, f64::max);
    Ok(LakeTankComparison {
        analytic_peak_mg_l: analytic_peak,
        model_peak_mg_l: reported.peak_mg_l,
        peak_conc_error: (reported.peak_mg_l - analytic_peak) / analytic_peak,
        series_max_relative_error,
    })
}

/// A 3-hour release at chainage 4,321 m of a 20 km reach that ends at a junction, where a
/// second reach of the same section and flow carries on for 40 km; named points above
/// and below the junction, 5 to 45 km from the release. Against the superposition of
/// slugs in one infinite channel (the junction adds no physics here, only a boundary).
pub fn timed_release_through_junction() -> Result<Vec<TimedReleaseComparison>, ValidationError> {
    let (q, width, depth, d, mass_kg, duration_s, release_at_m) =
        (250.0, 100.0, 5.0, 30.0, 600.0, 3.0 * 3600.0, 4_321.0);
    let upper_m = 20_000.0;
    let reach = |id: &str, from: &str, to: &str, length: f64| reach_toml(id, from, to, length, (width, depth, d, q));
    let distances_m = [5_000.0, 10_000.0, 15_679.0, 25_000.0, 45_000.0];
    let mut points = String::new();
    for (i, distance) in distances_m.iter().enumerate() {
        let at = release_at_m + distance;
        let (reach_id, chainage) = if at <= upper_m { ("a", at) } else { ("b", at - upper_m) };
        points.push_str(&format!(
            "\n[[points]]\nid = \"x{i}\"\nname = \"x{i}\"\nkind = \"section\"\njurisdiction = \"test\"\nreach = \"{reach_id}\"\nchainage_m = {chainage}\n"
        ));
    }
    let text = format!(
        "[scenario]\nname = \"timed-junction\"\ndefault_regime = \"steady\"\ncell_length_m = 100\n[[jurisdictions]]\nid = \"test\"\nname = \"Test\"\n[[regimes]]\nid = \"steady\"\n{}{}{}{}{}{}{points}\n[[releases]]\npollutant = \"tracer\"\nmass_kg = {mass_kg}\nreach = \"a\"\nchainage_m = {release_at_m}\nduration_min = {}\n",
        pollutant_toml(0.0),
        node("up", "inflow", 120.0),
        node("mid", "junction", 120.1),
        node("down", "outlet", 120.2),
        reach("a", "up", "mid", upper_m),
        reach("b", "mid", "down", 50_000.0),
        duration_s / 60.0
    );
    let scenario = Scenario::parse(&SourceText::new("<validation>/timed-junction.toml", text))
        .map_err(|e| ValidationError(format!("generated scenario is invalid: {e}")))?;
    let mut request = ForecastRequest::from_scenario(&scenario);
    request.horizon = SimDuration::from_hours(40);
    request.journal = false;
    let f = forecast::run(&scenario, &request).map_err(|e| ValidationError(e.to_string()))?;
    let area_m2 = width * depth;
    distances_m
        .iter()
        .enumerate()
        .map(|(i, &distance_m)| {
            let reported = f
                .points
                .iter()
                .find(|p| p.point == format!("x{i}"))
                .ok_or_else(|| ValidationError(format!("no forecast at point x{i}")))?;
            let (analytic_peak_s, analytic_peak) =
                analytic::timed_release_peak_at(mass_kg * 1000.0, duration_s, area_m2, q / area_m2, d, 0.0, distance_m);
            let model_peak_s = reported.peak_s.unwrap_or(0) as f64;
            let exact = |t: f64| {
                analytic::timed_release_concentration(
                    mass_kg * 1000.0,
                    duration_s,
                    area_m2,
                    q / area_m2,
                    d,
                    0.0,
                    distance_m,
                    t,
                )
            };
            // Half-peak crossings by bisection on either side of the analytical peak.
            let half = 0.5 * analytic_peak;
            let crossing = |mut below: f64, mut above: f64| {
                for _ in 0..60 {
                    let mid = 0.5 * (below + above);
                    if exact(mid) < half {
                        below = mid;
                    } else {
                        above = mid;
                    }
                }
                0.5 * (below + above)
            };
            let analytic_half_rise_s = crossing(1.0, analytic_peak_s);
            let analytic_half_fall_s = crossing(4.0 * analytic_peak_s + duration_s, analytic_peak_s);
            let point_idx = scenario.point_idx(&format!("x{i}")).expect("generated");
            let (times, conc) = forecast::held_series(&f.series[point_idx], 0, crate::time::SimTime::ZERO);
            let model_half_rise_s =
                forecast::first_crossing(&times, &conc, 0.5 * reported.peak_mg_l).unwrap_or(0) as f64;
            let (times_back, conc_back): (Vec<i64>, Vec<f64>) =
                times.iter().rev().map(|t| -t).zip(conc.iter().rev().copied()).unzip();
            let model_half_fall_s =
                -(forecast::first_crossing(&times_back, &conc_back, 0.5 * reported.peak_mg_l).unwrap_or(0) as f64);
            Ok(TimedReleaseComparison {
                analytic_drop_at_model_peak: 1.0 - exact(model_peak_s) / analytic_peak,
                analytic_half_rise_s,
                model_half_rise_s,
                analytic_half_fall_s,
                model_half_fall_s,
                distance_m,
                reach: if release_at_m + distance_m <= upper_m {
                    "above"
                } else {
                    "below"
                }
                .to_string(),
                analytic_peak_s,
                model_peak_s,
                peak_time_error: (model_peak_s - analytic_peak_s) / analytic_peak_s,
                analytic_peak_mg_l: analytic_peak,
                model_peak_mg_l: reported.peak_mg_l,
                peak_conc_error: (reported.peak_mg_l - analytic_peak) / analytic_peak,
            })
        })
        .collect()
}
