//! The exercise server answers a refusal in the language the seat's hello names: over
//! real loopback sockets, a Qingpu seat reading Chinese that dispatches a Wujiang team
//! gets the reason in Chinese, by the teams' and counties' Chinese names; a Wujiang seat
//! whose hello names no language gets the English it always got. Both answers carry the
//! reason as data, which a console renders in its own language; the server's own
//! refusals (a wrong token, a control from a player) come in the seat's language too.
//! The refusals are journaled with their English reason and `tripoint replay` reproduces
//! the journal line for line.

use tripoint_sim::drill::Action;
use tripoint_tui::console::remote::describe;
use tripoint_tui::i18n::{Lang, english_phrases};
use tripoint_tui::net::client::{Client, ClientError};
use tripoint_tui::net::tls::Transport;
use tripoint_tui::net::{AckStatus, Control};

mod support;

use support::{Server, five_seats, journal_lines, replay, requests_of, runtime, scratch};

#[test]
fn a_chinese_seat_is_refused_another_county_s_team_in_chinese_and_an_english_seat_in_english() {
    let dir = scratch("refusals-zh");
    let tokens = five_seats(&dir);
    let server = Server::start(&dir, &[]);
    let drill = support::two_incidents_drill();
    let scenario = &drill.scenario;
    let zh_name = |id: &str| tripoint_tui::i18n::scenario_name(Lang::ZhCn, scenario, id);
    let team_of = |jurisdiction: &str| {
        let j = scenario
            .jurisdictions
            .iter()
            .position(|x| x.id == jurisdiction)
            .unwrap();
        scenario.teams.iter().position(|t| t.jurisdiction == j).unwrap()
    };
    let (wujiang_team, qingpu_team) = (team_of("wujiang"), team_of("qingpu"));
    let (wujiang_team_id, qingpu_team_id) = (&scenario.teams[wujiang_team].id, &scenario.teams[qingpu_team].id);

    runtime().block_on(async {
        let connect = |seat: &'static str, lang: Option<&'static str>| {
            let token = tokens[seat].clone();
            let addr = server.addr.clone();
            async move { Client::connect_in(&Transport::Plain, &addr, seat, &token, None, lang).await }
        };
        let mut qingpu = connect("qingpu", Some("zh-CN")).await.unwrap();
        let mut wujiang = connect("wujiang", None).await.unwrap();

        // Chinese: the reason by the Chinese names, with no English left in it.
        let ack = qingpu
            .act(Action::Dispatch {
                team: wujiang_team,
                point: 0,
            })
            .await
            .unwrap();
        assert_eq!(ack.status, AckStatus::Refused);
        let expected = format!(
            "{}是{}的监测队伍：{}只能调派本区县的队伍，联合指挥部可调派任何队伍",
            zh_name(wujiang_team_id),
            zh_name("wujiang"),
            zh_name("qingpu")
        );
        assert_eq!(ack.detail, expected);
        assert!(zh_name(wujiang_team_id) != *wujiang_team_id, "the team has a Chinese name");
        assert_eq!(english_phrases(&ack.detail), Vec::<String>::new(), "{}", ack.detail);
        let message = ack.message.as_ref().expect("the reason as data");
        assert_eq!(message.id, "perm-team-of");
        // A console reading English renders the same answer in English from its data.
        assert_eq!(
            describe(Lang::En, &drill, &ack),
            format!(
                "#{} refused: {wujiang_team_id} is a team of wujiang: qingpu dispatches its own teams, the joint command any",
                ack.id
            )
        );

        // English (no `lang` in the hello): the English, byte for byte as before.
        let ack = wujiang
            .act(Action::Dispatch {
                team: qingpu_team,
                point: 0,
            })
            .await
            .unwrap();
        assert_eq!(ack.status, AckStatus::Refused);
        assert_eq!(
            ack.detail,
            format!("{qingpu_team_id} is a team of qingpu: wujiang dispatches its own teams, the joint command any")
        );
        // A Chinese console renders it in Chinese from the data the answer carries.
        assert_eq!(
            describe(Lang::ZhCn, &drill, &ack),
            format!(
                "#{} 被拒绝：{}是{}的监测队伍：{}只能调派本区县的队伍，联合指挥部可调派任何队伍",
                ack.id,
                zh_name(qingpu_team_id),
                zh_name("qingpu"),
                zh_name("wujiang")
            )
        );

        // An index past the end, and the server's own refusal of a clock control.
        let ack = qingpu.act(Action::Dispatch { team: 9999, point: 0 }).await.unwrap();
        assert_eq!(ack.status, AckStatus::Refused);
        assert_eq!(
            ack.detail,
            format!("没有编号为 9999 的监测队伍（共 {} 个）", scenario.teams.len())
        );
        let ack = qingpu.control(Control::Resume).await.unwrap();
        assert_eq!(
            (ack.status, ack.detail.as_str()),
            (AckStatus::Refused, "只有导调人员可以控制演练时钟")
        );
        let ack = wujiang.control(Control::Resume).await.unwrap();
        assert_eq!(
            (ack.status, ack.detail.as_str()),
            (AckStatus::Refused, "only a controller runs the clock")
        );

        // A wrong token, refused in the hello's language; an unknown language refused.
        match Client::connect_in(&Transport::Plain, &server.addr, "qingpu", "wrong", None, Some("zh-CN")).await {
            Err(ClientError::Refused(reason)) => assert_eq!(reason, "席位不存在或令牌错误"),
            other => panic!("{:?}", other.map(|c| c.seat)),
        }
        match Client::connect_in(&Transport::Plain, &server.addr, "qingpu", &tokens["qingpu"], None, Some("fr")).await
        {
            Err(ClientError::Refused(reason)) => assert!(reason.contains("\"fr\" is not spoken here"), "{reason}"),
            other => panic!("{:?}", other.map(|c| c.seat)),
        }
    });
    let journal = server.journal();
    server.stop();
    let lines = journal_lines(&journal);
    // The refusals are journaled as always: with their English reason.
    let refused = |by: &str| -> Vec<String> {
        requests_of(&lines, by)
            .into_iter()
            .filter_map(|l| l["note"]["refused"].as_str().map(str::to_string))
            .collect()
    };
    assert_eq!(
        refused("qingpu"),
        vec![
            format!("{wujiang_team_id} is a team of wujiang: qingpu dispatches its own teams, the joint command any"),
            format!("no team 9999 (there are {})", scenario.teams.len()),
        ]
    );
    assert_eq!(
        refused("wujiang"),
        vec![format!(
            "{qingpu_team_id} is a team of qingpu: wujiang dispatches its own teams, the joint command any"
        )]
    );
    assert!(replay(&journal).contains("identical"));
}

/// The server's own log on standard error is for its operator, in the operator's language
/// (LANG): the start, a seat connecting and leaving, a controller's action, a refused
/// token, the stop and the closed journal are Chinese with the drill's Chinese title; the
/// seats' answers are unchanged by it.
#[test]
fn the_operator_s_log_is_in_the_operator_s_language() {
    let dir = scratch("operator-log-zh");
    let tokens = five_seats(&dir);
    let server = Server::start_in(&dir, &[], &[("LANG", "zh_CN.UTF-8")]);
    runtime().block_on(async {
        let client = Client::connect(&server.addr, "qingpu", &tokens["qingpu"])
            .await
            .unwrap();
        drop(client);
        let mut ctl = Client::connect(&server.addr, "ctl", &tokens["ctl"]).await.unwrap();
        let ack = ctl.control(Control::Pause).await.unwrap();
        assert_eq!((ack.status, ack.detail.as_str()), (AckStatus::Applied, "paused"));
        drop(ctl);
        match Client::connect(&server.addr, "qingpu", "wrong").await {
            Err(ClientError::Refused(reason)) => assert_eq!(reason, "unknown seat or wrong token"),
            other => panic!("{:?}", other.map(|c| c.seat)),
        }
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    });
    let log = server.stop();
    for line in [
        "跨界两起县级突发水污染事件同时发生：7 个席位；等待导调人员启动演练时钟（速度 ×60）；态势看板：http://",
        "qingpu（jurisdiction:qingpu）已连接",
        "qingpu 已断开",
        "ctl（D1 ",
        "）：已暂停",
        "拒绝席位 \"qingpu\"：席位不存在或令牌错误",
        "正在停止",
        "日志已关闭（共 ",
    ] {
        assert!(log.contains(line), "{line:?} not in:\n{log}");
    }
    // The seats' names and roles are seats.toml's ids, and the board's address a URL.
    for line in log.lines().filter(|l| {
        ["个席位", "日志已关闭", "已暂停", "拒绝席位"]
            .iter()
            .any(|w| l.contains(w))
    }) {
        let english = english_phrases(line.split("态势看板").next().unwrap());
        assert!(english.is_empty(), "{line}: {english:?}");
    }
}
