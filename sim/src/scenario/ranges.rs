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
/// A road: a bridge's approach to a cross-province highway.
pub const ROAD_LENGTH_KM: Range = range(0.01, 5_000.0, "km");
/// A road's speed: a track on foot to an expressway's limit.
pub const ROAD_SPEED_KMH: Range = range(1.0, 150.0, "km/h");

/// A parser's message with every number of more than 24 digits written as a person
/// writes it: serde quotes `1e308` back as 309 digits and `.0`. Shorter numbers (a
/// `u64` as typed, line numbers) are left as they are.
pub fn shorten_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let int_len = tail.find(|c: char| !c.is_ascii_digit()).unwrap_or(tail.len());
        let mut len = int_len;
        let after = &tail[int_len..];
        if let Some(frac) = after.strip_prefix('.') {
            let frac_len = frac.find(|c: char| !c.is_ascii_digit()).unwrap_or(frac.len());
            if frac_len > 0 {
                len += 1 + frac_len;
            }
        }
        let digits = &tail[..len];
        match digits.parse::<f64>() {
            Ok(v) if int_len > 24 => out.push_str(&number(v)),
            _ => out.push_str(digits),
        }
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_numbers_in_messages_are_shortened() {
        let long = format!(
            "invalid type: floating point `1{}.0`, expected a string",
            "0".repeat(308)
        );
        assert_eq!(
            shorten_numbers(&long),
            "invalid type: floating point `1e308`, expected a string"
        );
        // Ordinary numbers, versions and line numbers are left alone.
        let plain = "line 12: 3.5 m, tripoint 0.4.0, 18446744073709551615";
        assert_eq!(shorten_numbers(plain), plain);
        assert_eq!(shorten_numbers("no digits"), "no digits");
        assert_eq!(shorten_numbers(&"9".repeat(25)), "1e25");
    }
}
