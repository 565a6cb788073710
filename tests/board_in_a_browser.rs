//! The situation board of the exercise server (`GET /board` on the server's address), on a
//! real server while a drill runs: it shows what the players know and never the hidden
//! truth, its page loads nothing from elsewhere, hostile HTTP gets 4xx without stalling the
//! simulation, and a real headless browser (Chromium, `TRIPOINT_TEST_CHROMIUM`, which
//! `.ci/run` installs and sets) draws the clock, the places, the incidents once known and
//! the teams, in a screenshot that is not a blank page.

mod support;

use std::io::{BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{Server, TIMEOUT, add_seats, runtime};
use tripoint_sim::drill::clock::Speed;
use tripoint_tui::net::client::Client;
use tripoint_tui::net::{AckStatus, Control};

/// What the players do not know at the exercise start (D1 02:00): the antimony release
/// began at 02:00 and is reported at 02:30.
const HIDDEN_AT_START: [&str; 3] = ["wujiang_antimony", "Antimony sludge", "wj_lili_dyeing_2"];
/// The aniline spill begins at 03:30 and is reported at 04:10.
const ANILINE: &str = "jiashan_aniline_tanker";
const ANILINE_KNOWN_S: i64 = 4 * 3600 + 10 * 60;

/// A running `tripoint serve` of the two-incident drill writing no database (its seats
/// in `dir/seats.toml`), stopped (SIGTERM) when dropped.
fn serve_two_incidents(dir: &Path) -> Server {
    Server::start(dir, &["two-incidents", "--no-db"])
}

/// An HTTP answer: status, head, body.
struct Answer {
    status: u16,
    head: String,
    body: String,
}

/// Sends `request` as it is and reads the answer to the end.
fn raw_http(addr: &str, request: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.write_all(request).unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {text:?}"));
    Answer {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

fn get(addr: &str, target: &str) -> Answer {
    raw_http(
        addr,
        format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes(),
    )
}

/// The board's latest view: (publication number, view).
fn board_view(addr: &str) -> (u64, serde_json::Value) {
    let answer = get(addr, "/board/view");
    assert_eq!(answer.status, 200, "{}", answer.body);
    let body: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    (body["seq"].as_u64().unwrap(), body["view"].clone())
}

fn incident_ids(view: &serde_json::Value) -> Vec<String> {
    view["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

/// Polls the board's view until `done`.
fn wait_for_board(addr: &str, what: &str, done: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let (_, view) = board_view(addr);
        if done(&view) {
            return view;
        }
        assert!(Instant::now() < deadline, "the board never showed {what}: {view}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_board_shows_what_the_players_know_and_never_the_hidden_truth() {
    let dir = support::scratch("board-hidden");
    // No observer seat: the board has its view all the same.
    let tokens = add_seats(&dir, &[("ctl", "controller")]);
    let server = serve_two_incidents(&dir);
    let addr = server.addr.clone();
    runtime().block_on(async {
        let mut controller = Client::connect(&addr, "ctl", &tokens["ctl"]).await.unwrap();
        // The controller sees the release that began at the start; the players do not.
        let truth = controller.snapshot().unwrap();
        assert!(truth.incidents.iter().any(|i| i.id == "wujiang_antimony"));

        let page = tokio::task::spawn_blocking({
            let addr = addr.clone();
            move || get(&addr, "/board")
        })
        .await
        .unwrap();
        assert_eq!(page.status, 200);
        assert!(
            page.head.contains("Content-Type: text/html; charset=utf-8"),
            "{}",
            page.head
        );
        assert!(
            page.head.contains("Content-Security-Policy: default-src 'none'"),
            "{}",
            page.head
        );
        assert!(
            !page.body.contains("http://") && !page.body.contains("https://"),
            "the page refers to nothing elsewhere"
        );
        assert!(page.body.contains("金泽水库取水口") && page.body.contains("Jinze Reservoir intake"));
        let view = get(&addr, "/board/view");
        assert_eq!(view.status, 200);
        assert!(view.head.contains("Content-Type: application/json"));
        for hidden in HIDDEN_AT_START {
            assert!(!page.body.contains(hidden), "{hidden} on the page while unknown");
            assert!(
                !view.body.contains(hidden),
                "{hidden} in the board's view while unknown"
            );
        }
        // Nothing changed: nothing sent again.
        let seq: serde_json::Value = serde_json::from_str(&view.body).unwrap();
        let again = get(&addr, &format!("/board/view?after={}", seq["seq"]));
        assert_eq!(again.status, 204, "{}", again.body);
        assert!(again.body.is_empty());

        // The clock runs; the board learns of the first incident when the players do.
        let ack = controller.control(Control::Speed(Speed::X600)).await.unwrap();
        assert_eq!(ack.status, AckStatus::Applied);
        assert_eq!(
            controller.control(Control::Resume).await.unwrap().status,
            AckStatus::Applied
        );
        let known = tokio::task::spawn_blocking({
            let addr = addr.clone();
            move || {
                wait_for_board(&addr, "the antimony release", |v| {
                    incident_ids(v).contains(&"wujiang_antimony".to_string())
                })
            }
        })
        .await
        .unwrap();
        assert!(
            known["now"].as_i64().unwrap() >= 2 * 3600 + 30 * 60,
            "known at 02:30: {}",
            known["now"]
        );

        // The second release: the controller sees it from 03:30; the clock stops before the
        // report at 04:10, and the board has nothing of it.
        controller
            .wait_for(TIMEOUT, |v| {
                v["incidents"].as_array().unwrap().iter().any(|i| i["id"] == ANILINE)
            })
            .await
            .unwrap();
        assert_eq!(
            controller.control(Control::Pause).await.unwrap().status,
            AckStatus::Applied
        );
        let paused = tokio::task::spawn_blocking({
            let addr = addr.clone();
            move || wait_for_board(&addr, "the pause", |v| v["clock"]["paused"] == true)
        })
        .await
        .unwrap();
        let now_s = paused["now"].as_i64().unwrap();
        assert!(now_s < ANILINE_KNOWN_S, "paused at {now_s} s, after the report");
        let view = get(&addr, "/board/view").body;
        assert!(
            !view.contains(ANILINE),
            "the aniline spill on the board before its report"
        );
        assert!(view.contains("wujiang_antimony"));

        // Once reported, it is on the board.
        assert_eq!(
            controller.control(Control::Resume).await.unwrap().status,
            AckStatus::Applied
        );
        tokio::task::spawn_blocking(move || {
            wait_for_board(&addr, "the aniline spill", |v| {
                incident_ids(v).contains(&ANILINE.to_string())
            })
        })
        .await
        .unwrap();
    });
}

#[test]
fn hostile_http_gets_4xx_and_never_stalls_the_simulation() {
    let dir = support::scratch("board-hostile");
    let tokens = add_seats(&dir, &[("ctl", "controller")]);
    let server = serve_two_incidents(&dir);
    let addr = server.addr.clone();
    // Slow clients: a request line begun and never finished.
    let slow: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut s = TcpStream::connect(&addr).unwrap();
            s.write_all(b"GET /bo").unwrap();
            s
        })
        .collect();
    let started = Instant::now();
    assert_eq!(get(&addr, "/elsewhere").status, 404);
    assert_eq!(get(&addr, "/board?x=1").status, 400);
    assert_eq!(get(&addr, "/board/view?after=soon").status, 400);
    let post = raw_http(
        &addr,
        format!("POST /board HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 2\r\n\r\n{{}}").as_bytes(),
    );
    assert_eq!(post.status, 405);
    assert!(post.head.contains("Allow: GET"));
    assert_eq!(
        raw_http(&addr, b"DELETE /board HTTP/1.1\r\nHost: x\r\n\r\n").status,
        405
    );
    let huge = format!(
        "GET /board HTTP/1.1\r\nHost: x\r\nX-Filler: {}\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    assert_eq!(raw_http(&addr, huge.as_bytes()).status, 431);
    assert_eq!(raw_http(&addr, b"GET /board HTTP/1.1\r\n\r\n").status, 400, "no Host");
    assert_eq!(raw_http(&addr, b"GET /board HTTP/3\r\nHost: x\r\n\r\n").status, 505);
    // Meanwhile the seats are served and the clock runs.
    runtime().block_on(async {
        let mut controller = Client::connect(&addr, "ctl", &tokens["ctl"]).await.unwrap();
        let asked = Instant::now();
        assert_eq!(
            controller.control(Control::Speed(Speed::X600)).await.unwrap().status,
            AckStatus::Applied
        );
        assert_eq!(
            controller.control(Control::Resume).await.unwrap().status,
            AckStatus::Applied
        );
        assert!(
            asked.elapsed() < Duration::from_secs(2),
            "answers took {:?}",
            asked.elapsed()
        );
        let start_s = controller.time_s();
        controller
            .wait_for(Duration::from_secs(10), |v| v["now"].as_i64().unwrap() > start_s + 600)
            .await
            .unwrap();
    });
    assert_eq!(board_view(&addr).1["clock"]["paused"], false);
    // The slow clients are told so after the time limit, and closed.
    for mut s in slow {
        s.set_read_timeout(Some(TIMEOUT)).unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    }
    let waited = started.elapsed();
    assert!(
        (Duration::from_secs(9)..Duration::from_secs(30)).contains(&waited),
        "{waited:?}"
    );
}

/// The browser to test with: `TRIPOINT_TEST_CHROMIUM`, which `.ci/run` sets; without it
/// the browser test is skipped, except on CI.
#[test]
fn a_full_server_answers_http_503_with_retry_after_and_serves_again_when_a_connection_goes() {
    let dir = support::scratch("board-full");
    let tokens = add_seats(&dir, &[("ctl", "controller")]);
    let server = serve_two_incidents(&dir);
    let addr = server.addr.clone();
    // Connections that say nothing hold every slot (for 10 s, before they are taken for
    // seats and their hello is awaited); the server accepts in the order of connecting.
    let mut idle: Vec<TcpStream> = (0..tripoint_tui::serve::CONNECTIONS_MAX)
        .map(|_| TcpStream::connect(&addr).unwrap())
        .collect();
    let full = get(&addr, "/board");
    assert_eq!(full.status, 503, "{}", full.body);
    assert!(full.head.contains("Retry-After: 5"), "{}", full.head);
    assert!(
        full.body.contains(
            "服务器连接已满（64 个连接），请 5 秒后重试 / the server is full (64 connections); try again in 5 s"
        ),
        "{}",
        full.body
    );
    let malformed_too = raw_http(&addr, b"hello there\r\n\r\n");
    assert_eq!(malformed_too.status, 503, "a full server reads no request");
    // A seat gets its own refusal, in frames.
    runtime().block_on(async {
        match Client::connect(&addr, "ctl", &tokens["ctl"]).await {
            Err(tripoint_tui::net::client::ClientError::Refused(reason)) => {
                // The reason as data, in the client's language: English where the hello
                // names none, as it always read.
                assert_eq!(reason, "the server is full (64 connections)");
            }
            Err(other) => panic!("{other}"),
            Ok(_) => panic!("a 65th connection was let in"),
        }
        let transport = tripoint_tui::net::tls::Transport::Plain;
        match Client::connect_in(&transport, &addr, "ctl", &tokens["ctl"], None, Some("zh-CN")).await {
            Err(tripoint_tui::net::client::ClientError::Refused(reason)) => {
                assert_eq!(reason, "服务器连接已满（64 个连接）");
            }
            Err(other) => panic!("{other}"),
            Ok(_) => panic!("a 65th connection was let in"),
        }
    });
    // One goes: the board is served again.
    drop(idle.pop());
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let answer = get(&addr, "/board");
        if answer.status == 200 {
            break;
        }
        assert_eq!(answer.status, 503);
        assert!(Instant::now() < deadline, "the freed connection was never given back");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(idle);
    // Bad requests get 400 with the reason, as before: once the server has seen the idle
    // connections close (it learns of each on its own thread, so a request sent at once
    // may still find the server full).
    let deadline = Instant::now() + Duration::from_secs(5);
    let bad = loop {
        let answer = raw_http(&addr, b"hello there\r\n\r\n");
        if answer.status != 503 || Instant::now() >= deadline {
            break answer;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(bad.status, 400);
    assert!(
        bad.body.contains("the request line is not METHOD TARGET VERSION"),
        "{}",
        bad.body
    );
}

fn chromium() -> Option<PathBuf> {
    match std::env::var_os("TRIPOINT_TEST_CHROMIUM") {
        Some(path) => Some(PathBuf::from(path)),
        None if std::env::var("CI").is_ok() => {
            panic!("CI must set TRIPOINT_TEST_CHROMIUM (.ci/run installs chromium-headless-shell)")
        }
        None => {
            eprintln!("TRIPOINT_TEST_CHROMIUM is not set: the board is not tested in a browser here");
            None
        }
    }
}

/// Runs the browser headless on `url` with `args`; its standard output.
fn run_browser(browser: &Path, profile: &Path, args: &[&str], url: &str) -> String {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", browser.display()));
    let mut out = String::new();
    let reader = std::thread::spawn({
        let mut stdout = child.stdout.take().unwrap();
        move || {
            let mut out = String::new();
            let _ = stdout.read_to_string(&mut out);
            out
        }
    });
    let deadline = Instant::now() + TIMEOUT;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the browser did not finish in {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    out.push_str(&reader.join().unwrap());
    out
}

#[test]
fn a_real_browser_draws_the_board_while_a_drill_runs() {
    let Some(browser) = chromium() else { return };
    let dir = support::scratch("board-browser");
    let tokens = add_seats(&dir, &[("ctl", "controller")]);
    let server = serve_two_incidents(&dir);
    let addr = server.addr.clone();
    let url = format!("http://{addr}/board");
    let rt = runtime();
    let _controller = rt.block_on(async {
        let mut controller = Client::connect(&addr, "ctl", &tokens["ctl"]).await.unwrap();
        controller.control(Control::Speed(Speed::X600)).await.unwrap();
        controller.control(Control::Resume).await.unwrap();
        controller
    });
    // Both incidents known, plans out and teams on the road; the drill runs on at ×600.
    wait_for_board(&addr, "both incidents and a team out", |v| {
        incident_ids(v).len() == 2
            && v["now"].as_i64().unwrap() >= 5 * 3600
            && v["teams"].as_array().unwrap().iter().any(|t| t["activity"] != "idle")
    });

    // Thirty polls in the browser's virtual time. The server holds each poll after the
    // first until the running exercise's next publication (ten a second of real time), so
    // the page applies a newer view at every poll however fast or slow the machine.
    let dom = run_browser(
        &browser,
        &dir.join("profile-dom"),
        &["--dump-dom", "--virtual-time-budget=30000"],
        &url,
    );
    let (_, view) = board_view(&addr);
    assert!(dom.contains("id=\"clock\">D1 0"), "the clock: {dom}");
    assert!(dom.contains("▶ ×600"), "the clock runs at ×600");
    for place in [
        "金泽水库取水口",
        "长白荡水源地取水口",
        "淀山湖",
        "青浦区 Qingpu District",
    ] {
        assert!(dom.contains(place), "{place} on the board");
    }
    for incident in view["incidents"].as_array().unwrap() {
        assert!(dom.contains(incident["name"].as_str().unwrap()), "{incident}");
    }
    let out = view["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["activity"] != "idle")
        .unwrap();
    assert!(dom.contains(out["id"].as_str().unwrap()), "{out}");
    // The page followed the running drill: a newer view at most of its thirty polls (30 in
    // every run seen; 1 before the server held the polls, on a loaded machine).
    let updates: u32 = dom
        .split("data-updates=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no update count: {dom}"));
    assert!(updates >= 10, "{updates} views applied");
    assert!(
        dom.contains("<div id=\"link\" class=\"\">live"),
        "the page is in contact with the server"
    );

    let png = dir.join("board.png");
    run_browser(
        &browser,
        &dir.join("profile-png"),
        &[
            &format!("--screenshot={}", png.display()),
            "--window-size=1920,1080",
            "--virtual-time-budget=3000",
        ],
        &url,
    );
    check_screenshot(&png);
    eprintln!("{updates} views applied in the browser");
    // Kept for a look: target/board.png.
    let kept = Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("board.png");
    let _ = std::fs::copy(&png, kept);
}

/// The screenshot is the board, not a blank page: full size, many colours, the map drawn
/// (water blue and the incidents' red among them), the dark background not everywhere.
fn check_screenshot(path: &Path) {
    let decoder = png::Decoder::new(BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((info.width, info.height), (1920, 1080));
    let channels = info.color_type.samples();
    assert!(channels >= 3, "{:?}", info.color_type);
    let rgb = |x: usize, y: usize| {
        let i = (y * info.width as usize + x) * channels;
        (pixels[i], pixels[i + 1], pixels[i + 2])
    };
    let mut colours = std::collections::BTreeSet::new();
    let (mut water, mut red, mut lit) = (0usize, 0usize, 0usize);
    // The map: the left 1100 pixels below the header.
    for y in (100..1080).step_by(2) {
        for x in (0..1100).step_by(2) {
            let (r, g, b) = rgb(x, y);
            colours.insert((r >> 3, g >> 3, b >> 3));
            if b > 200 && r < 100 && g > 100 && g < 160 {
                water += 1;
            }
            if r > 220 && g < 120 && b < 120 {
                red += 1;
            }
            if u32::from(r) + u32::from(g) + u32::from(b) > 150 {
                lit += 1;
            }
        }
    }
    assert!(colours.len() > 50, "{} colours on the map", colours.len());
    assert!(water > 2_000, "{water} water pixels");
    assert!(red > 50, "{red} red pixels (the incidents)");
    assert!(lit > 10_000, "{lit} lit pixels");
}
