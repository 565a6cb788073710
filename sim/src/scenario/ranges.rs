//! The physically plausible range of every numeric scenario field: what the loader
//! accepts, one table for the validator, the command line and docs/scenario-format.md.
//! Outside these ranges a model of a river zone means nothing, and the arithmetic may
//! overflow to infinity or NaN (a depth of 1e308 m, a width of 5e-324 m); a value outside
//! is refused with its location.

/// A closed range of a field, with its unit for messages.
#[derive(Clone, Copy, Debug)]
pub struct Range {
    pub lo: f64,
    pub hi: f64,
    pub unit: &'static str,
}

impl Range {
    pub fn contains(&self, v: f64) -> bool {
        v.is_finite() && (self.lo..=self.hi).contains(&v)
    }

    /// "between 0.5 and 20000 m".
    pub fn describe(&self) -> String {
        let unit = if self.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", self.unit)
        };
        format!("between {} and {}{unit}", number(self.lo), number(self.hi))
    }
}

/// A number as a person writes it: 1e-6, 0.05, 20000, 1e9, 1e308 (not 309 digits).
pub fn number(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e6 || v.abs() < 1e-3) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

const fn range(lo: f64, hi: f64, unit: &'static str) -> Range {
    Range { lo, hi, unit }
}

/// Surface width of a reach: a ditch to the widest estuary.
pub const WIDTH_M: Range = range(0.5, 20_000.0, "m");
/// Mean depth of a reach.
pub const DEPTH_M: Range = range(0.05, 200.0, "m");
/// Manning roughness: glass-smooth channels to dense floodplain vegetation.
pub const MANNING_N: Range = range(0.005, 0.3, "s/m^(1/3)");
/// A reach's own longitudinal dispersion coefficient.
pub const DISPERSION_M2_S: Range = range(1e-3, 1e5, "m²/s");
/// A reach's discharge in a regime (the Amazon carries about 2e5 m³/s).
pub const DISCHARGE_M3_S: Range = range(1e-4, 1e6, "m³/s");
/// Lake area and mean depth.
pub const LAKE_AREA_KM2: Range = range(1e-4, 1e5, "km²");
pub const LAKE_DEPTH_M: Range = range(0.1, 2_000.0, "m");
/// First-order decay (a half-life of about a minute at the top).
pub const DECAY_PER_DAY: Range = range(0.0, 1_000.0, "1/day");
/// A concentration: detection limits and limits.
pub const CONCENTRATION_MG_L: Range = range(1e-12, 1e6, "mg/L");
/// A released mass: a gram to a million tonnes.
pub const MASS_KG: Range = range(1e-3, 1e9, "kg");
