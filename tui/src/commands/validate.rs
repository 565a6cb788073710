//! `tripoint validate`: run the transport model against analytical solutions and print the
//! comparison (the figures quoted in docs/validation.md).

use crate::input::{CliError, CliResult};
use tripoint_sim::validation::{self, SlugCase};

#[derive(clap::Args, Debug)]
pub struct ValidateArgs {
    /// Print JSON instead of tables.
    #[arg(long)]
    pub json: bool,
}

/// Cell lengths of the convergence study [m].
const CONVERGENCE_CELLS_M: [f64; 5] = [400.0, 200.0, 100.0, 50.0, 25.0];

pub fn run(args: &ValidateArgs) -> CliResult {
    let internal = |e: validation::ValidationError| CliError::Internal(anyhow::anyhow!(e));
    let case = SlugCase::default();
    let slug = validation::slug(&case).map_err(internal)?;
    let fine_case = SlugCase {
        cell_length_m: 50.0,
        ..SlugCase::default()
    };
    let slug_fine = validation::slug(&fine_case).map_err(internal)?;
    let taipu_case = validation::taipu_like_case();
    let slug_taipu = validation::slug(&taipu_case).map_err(internal)?;
    let placement = validation::release_placement(6_000.0).map_err(internal)?;
    let lake_tank = validation::lake_one_tank().map_err(internal)?;
    let timed = validation::timed_release_through_junction().map_err(internal)?;
    let continuous = validation::continuous(100.0).map_err(internal)?;
    let washout = validation::lake_washout().map_err(internal)?;
    let junction = validation::junction().map_err(internal)?;
    let convergence = validation::convergence(&CONVERGENCE_CELLS_M, 20_000.0).map_err(internal)?;
    if args.json {
        let doc = serde_json::json!({
            "slug_case": case, "slug": slug, "slug_50m": slug_fine,
            "taipu_like_case": taipu_case, "slug_taipu_like": slug_taipu,
            "release_placement": placement, "lake_one_tank": lake_tank,
            "timed_release_through_junction": timed,
            "continuous": continuous, "washout": washout, "junction": junction, "convergence": convergence
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&doc).map_err(|e| CliError::Internal(e.into()))?
        );
        return Ok(());
    }
    for (case, slug) in [(&case, &slug), (&fine_case, &slug_fine), (&taipu_case, &slug_taipu)] {
        println!(
            "Slug in a straight reach: U = {:.2} m/s, D = {} m²/s, k = {}/day, {} kg at chainage {} m, cells {} m",
            case.discharge_m3_s / (case.width_m * case.depth_m),
            case.dispersion_m2_s,
            case.decay_per_day,
            case.mass_kg,
            case.release_at_m,
            case.cell_length_m
        );
        println!(
            "{:>10} {:>12} {:>12} {:>9} {:>12} {:>12} {:>9} {:>9}",
            "x [m]", "t_peak an.", "t_peak mod.", "err", "C_peak an.", "C_peak mod.", "err", "L1"
        );
        for c in slug {
            println!(
                "{:>10.0} {:>12.0} {:>12.0} {:>8.3}% {:>12.5} {:>12.5} {:>8.3}% {:>8.3}%",
                c.distance_m,
                c.analytic_peak_s,
                c.model_peak_s,
                c.peak_time_error * 100.0,
                c.analytic_peak_mg_l,
                c.model_peak_mg_l,
                c.peak_conc_error * 100.0,
                c.series_l1_error * 100.0
            );
        }
        println!();
    }
    println!("Where in its 100 m cell the release falls, peak 6 km below the typed chainage:");
    println!(
        "{:>12} {:>16} {:>12} {:>12}",
        "chainage", "place in cell", "t err", "C err"
    );
    for r in &placement {
        println!(
            "{:>10.0} m {:>16.2} {:>11.3}% {:>11.3}%",
            r.release_at_m,
            r.position_in_cell,
            r.peak_time_error * 100.0,
            r.peak_conc_error * 100.0
        );
    }
    println!(
        "\nA 3-hour release of 600 kg at chainage 4321 m through a junction at 20 km (U = 0.50 m/s, D = 30 m²/s):"
    );
    println!(
        "{:>8} {:>6} {:>11} {:>11} {:>8} {:>9} {:>10} {:>10} {:>8} {:>15} {:>15}",
        "x [m]",
        "reach",
        "t_peak an.",
        "t_peak mod.",
        "err",
        "flat by",
        "C_peak an.",
        "C_peak mod.",
        "err",
        "½ rise an./mod.",
        "½ fall an./mod."
    );
    for c in &timed {
        println!(
            "{:>8.0} {:>6} {:>11.0} {:>11.0} {:>7.3}% {:>8.4}% {:>10.5} {:>10.5} {:>7.3}% {:>7.0}/{:<7.0} {:>7.0}/{:<7.0}",
            c.distance_m,
            c.reach,
            c.analytic_peak_s,
            c.model_peak_s,
            c.peak_time_error * 100.0,
            c.analytic_drop_at_model_peak * 100.0,
            c.analytic_peak_mg_l,
            c.model_peak_mg_l,
            c.peak_conc_error * 100.0,
            c.analytic_half_rise_s,
            c.model_half_rise_s,
            c.analytic_half_fall_s,
            c.model_half_fall_s
        );
    }
    println!(
        "\nA lake as one tank, read at a point on it: reported peak {:.6} mg/L against M/V = {:.6} ({:+.4}%); \
         series within {:.4}% of the CSTR solution",
        lake_tank.model_peak_mg_l,
        lake_tank.analytic_peak_mg_l,
        lake_tank.peak_conc_error * 100.0,
        lake_tank.series_max_relative_error * 100.0
    );
    println!("\nContinuous source against Ogata–Banks (C0 = 1, cells 100 m):");
    println!(
        "{:>8} {:>14} {:>14} {:>16}",
        "t [h]", "max |err|/C0", "front model", "front analytic"
    );
    for c in &continuous {
        println!(
            "{:>8.0} {:>13.3}% {:>12.0} m {:>14.0} m",
            c.time_s / 3600.0,
            c.max_error_relative_to_c0 * 100.0,
            c.model_front_m,
            c.analytic_front_m
        );
    }
    println!("\nLake washout against the CSTR solution:");
    println!(
        "{:>8} {:>14} {:>14} {:>10}",
        "t [h]", "model mg/L", "analytic mg/L", "err"
    );
    for c in &washout {
        println!(
            "{:>8.0} {:>14.6} {:>14.6} {:>9.4}%",
            c.time_s / 3600.0,
            c.model_mg_l,
            c.analytic_mg_l,
            c.relative_error * 100.0
        );
    }
    println!("\nA slug through an internal junction, 25 km below the release, against the unsplit reach:");
    println!(
        "  peak {:+.4}%, peak time {:+} s, series L1 {:.4}%; mass out after 48 h: {:.6} (split), {:.6} (whole)",
        junction.peak_conc_difference * 100.0,
        junction.peak_time_difference_s,
        junction.series_l1_difference * 100.0,
        junction.fraction_out_split,
        junction.fraction_out_whole
    );
    println!("\nGrid convergence of the slug at 20 km:");
    println!(
        "{:>10} {:>14} {:>14} {:>12}",
        "cell [m]", "peak C err", "peak t err", "L1 err"
    );
    for r in &convergence {
        println!(
            "{:>10.0} {:>13.4}% {:>13.4}% {:>11.4}%",
            r.cell_length_m,
            r.peak_conc_error * 100.0,
            r.peak_time_error * 100.0,
            r.series_l1_error * 100.0
        );
    }
    Ok(())
}
