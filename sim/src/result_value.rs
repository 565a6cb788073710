//! The text of one result as a laboratory, a station or a person types it: a
//! concentration, or a non-detect — `ND`, `<DL`, `未检出` (below the method's detection
//! limit), `<0.005` or `0.005L` (below the limit written with it; the `L` suffix is how
//! Chinese monitoring reports write a result under the method's limit). The one reader
//! of these words: `tripoint identify`'s results file and the console's result form.

/// A result read from its text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ResultValue {
    /// A number as written, in the caller's unit; the caller checks its range.
    Value(f64),
    /// Below the detection limit: the limit written with it (`<0.005`, `0.005L`), or
    /// `None` where the text names none (`ND`, `<DL`, `未检出`) and the method's applies.
    NonDetect { detection_limit: Option<f64> },
}

/// The words that say "not detected" without a number (compared without case).
const NON_DETECT_WORDS: [&str; 5] = ["nd", "n.d.", "<dl", "＜dl", "未检出"];

impl ResultValue {
    /// Reads a result; `None` when the text is neither a finite number nor a non-detect
    /// (empty, a word, `<` with no positive limit).
    pub fn parse(text: &str) -> Option<ResultValue> {
        let text = text.trim();
        if NON_DETECT_WORDS.iter().any(|w| text.eq_ignore_ascii_case(w)) {
            return Some(ResultValue::NonDetect { detection_limit: None });
        }
        let below = text
            .strip_prefix('<')
            .or_else(|| text.strip_prefix('＜'))
            .or_else(|| text.strip_suffix(['L', 'l']).filter(|n| !n.is_empty()));
        if let Some(limit) = below {
            let limit: f64 = limit.trim().parse().ok()?;
            return (limit.is_finite() && limit > 0.0).then_some(ResultValue::NonDetect {
                detection_limit: Some(limit),
            });
        }
        let value: f64 = text.parse().ok()?;
        value.is_finite().then_some(ResultValue::Value(value))
    }
}
