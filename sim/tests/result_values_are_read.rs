//! The one reader of a result's text (`ResultValue::parse`): numbers, and every spelling
//! of a non-detect that `tripoint identify`'s results file and the console's form accept.

use tripoint_sim::result_value::ResultValue::{self, NonDetect, Value};

#[test]
fn numbers_and_every_spelling_of_a_non_detect_are_read() {
    let none = NonDetect { detection_limit: None };
    for (text, expected) in [
        ("0.178", Some(Value(0.178))),
        (" 3 ", Some(Value(3.0))),
        ("0", Some(Value(0.0))),
        ("-1", Some(Value(-1.0))),
        ("nd", Some(none)),
        ("ND", Some(none)),
        ("n.d.", Some(none)),
        ("<DL", Some(none)),
        ("<dl", Some(none)),
        ("未检出", Some(none)),
        (
            "<0.005",
            Some(NonDetect {
                detection_limit: Some(0.005),
            }),
        ),
        (
            "< 0.03",
            Some(NonDetect {
                detection_limit: Some(0.03),
            }),
        ),
        (
            "＜0.01",
            Some(NonDetect {
                detection_limit: Some(0.01),
            }),
        ),
        (
            "0.005L",
            Some(NonDetect {
                detection_limit: Some(0.005),
            }),
        ),
        ("", None),
        ("L", None),
        ("<", None),
        ("<0", None),
        ("<-1", None),
        ("<abc", None),
        ("NaN", None),
        ("inf", None),
        ("high", None),
    ] {
        assert_eq!(ResultValue::parse(text), expected, "{text:?}");
    }
}
