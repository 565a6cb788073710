//! Evaluators' observations on the exercise server: an evaluator records what it sees
//! (`observe`), with the exercise time and its seat in the journal; controllers and
//! evaluators see the observations in their views, the players and observers do not;
//! nobody else may record one, and an observation too long is refused; `serve --report`
//! writes the after-action report with them when the server stops.

mod support;

use support::{Server, add_seats, journal_lines, replay, requests_of, runtime, scratch};
use tripoint_sim::drill::{Action, OBSERVATION_CHARS_MAX};
use tripoint_tui::net::AckStatus;
use tripoint_tui::net::client::Client;

fn observe(text: &str, target: Option<&str>) -> Action {
    Action::Observe {
        text: text.to_string(),
        target: target.map(str::to_string),
    }
}

#[test]
fn an_evaluator_s_observation_is_journaled_seen_by_controllers_and_evaluators_and_reported() {
    let dir = scratch("observations");
    let tokens = add_seats(
        &dir,
        &[
            ("ctl", "controller"),
            ("qingpu", "jurisdiction:qingpu"),
            ("eva", "evaluator"),
            ("watcher", "observer"),
        ],
    );
    let report_dir = dir.join("report");
    let server = Server::start(&dir, &["two-incidents", "--report", report_dir.to_str().unwrap()]);
    let text = "Qingpu's duty officer read the inject aloud but did not log it";
    runtime().block_on(async {
        let connect = |name: &'static str| Client::connect(&server.addr, name, &tokens[name]);
        let (mut ctl, mut qingpu, mut eva, mut watcher) = (
            connect("ctl").await.unwrap(),
            connect("qingpu").await.unwrap(),
            connect("eva").await.unwrap(),
            connect("watcher").await.unwrap(),
        );
        let ack = eva.act(observe(text, Some("qingpu"))).await.unwrap();
        assert_eq!(ack.status, AckStatus::Applied, "{}", ack.detail);

        let too_long = "x".repeat(OBSERVATION_CHARS_MAX + 1);
        let ack = eva.act(observe(&too_long, None)).await.unwrap();
        assert_eq!(ack.status, AckStatus::Refused);
        assert!(ack.detail.contains("at most"), "{}", ack.detail);
        let ack = eva.act(Action::MediaStatement).await.unwrap();
        assert_eq!(ack.status, AckStatus::Refused, "an evaluator only observes");
        let ack = qingpu.act(observe("we did well", None)).await.unwrap();
        assert_eq!(
            (ack.status, ack.detail.as_str()),
            (AckStatus::Refused, "only an evaluator records observations")
        );
        let ack = watcher.act(observe("noted", None)).await.unwrap();
        assert_eq!(ack.status, AckStatus::Refused);

        let seen = |view: &serde_json::Map<String, serde_json::Value>| {
            view["observations"]
                .as_array()
                .is_some_and(|o| o.len() == 1 && o[0]["text"] == text && o[0]["by"] == "eva")
        };
        let timeout = std::time::Duration::from_secs(10);
        ctl.wait_for(timeout, seen).await.unwrap();
        eva.wait_for(timeout, seen).await.unwrap();
        // The players and observers never get one (their views have been published after it).
        qingpu.wait_for(timeout, |v| v["log"].is_array()).await.unwrap();
        for view in [qingpu.view(), watcher.view()] {
            assert_eq!(
                view["observations"],
                serde_json::json!([]),
                "{:?}",
                view["observations"]
            );
        }
    });
    let journal = server.journal();
    server.stop();
    let lines = journal_lines(&journal);
    let observed = requests_of(&lines, "eva");
    assert_eq!(observed.len(), 3, "every action of the evaluator is journaled");
    assert_eq!(observed[0]["event"]["action"]["action"]["observe"]["text"], text);
    assert_eq!(observed[0]["event"]["action"]["seat"], "evaluator");
    assert!(observed[0]["t_s"].is_i64());
    assert!(replay(&journal).contains("identical"));

    let markdown = std::fs::read_to_string(report_dir.join("report.md")).unwrap();
    assert!(markdown.contains("## 8. Evaluators' observations"), "{markdown}");
    assert!(
        markdown.contains(&format!("| D1 02:00 | eva | qingpu | {text} |")),
        "{markdown}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report_dir.join("report.json")).unwrap()).unwrap();
    assert_eq!(json["observations"][0]["by"], "eva");
    assert_eq!(json["observations"][0]["target"], "qingpu");
}
