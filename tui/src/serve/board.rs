//! The situation board: a read-only web page of the exercise for the wall of the command
//! room, served on the server's own address. A connection whose first byte is an ASCII
//! letter speaks HTTP (a frame of the seats' protocol starts with 0: its length is under
//! 16 MiB); every other connection is a seat's ([`super::connection`]).
//!
//! Three things are served, by a small strict HTTP/1.1 handler (GET only, one request per
//! connection, a bounded head read within a time limit): `GET /board`, one self-contained
//! page (inline CSS, script and SVG map, the zone built from the scenario once);
//! `GET /board/view`, the observer-level view as JSON (what the players know, never the
//! hidden truth), which the page polls about once a second (`?after=SEQ` is held open
//! until a newer publication, at most [`HOLD_FOR_NEWER`], and answers 204 if none came);
//! and errors (4xx) for everything else. The board never talks to the
//! simulation thread: a task keeps the latest published observer view, and requests read
//! it, so no board can stall the simulation.

use super::Shared;
use super::Stream;
use super::simulation::{Published, ViewKey};
use bytes::Bytes;
use serde::Serialize;
use serde_json::{Map, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _};
use tokio::sync::broadcast;
use tripoint_sim::drill::text::Arg;
use tripoint_sim::drill::view::MapGeometry;
use tripoint_sim::scenario::{Location, NodeKind, PointKind, Scenario};

/// The page: markup, style and script; the zone is put in at `/*ZONE*/null`.
const PAGE_TEMPLATE: &str = include_str!("board.html");
/// Longest a request's head (request line and headers) may be [bytes].
pub const HEAD_BYTES_MAX: usize = 8 * 1024;
/// Most header lines a request may have.
pub const HEADERS_MAX: usize = 64;
/// Longest request target [bytes].
pub const TARGET_BYTES_MAX: usize = 1024;
/// Time a connection has to send its first byte before it is taken for a seat (whose
/// hello then has its own time limit).
const FIRST_BYTE_WITHIN: Duration = Duration::from_secs(10);
/// Time a request's whole head has to arrive (a slow client gets 408).
pub const HEAD_WITHIN: Duration = Duration::from_secs(10);
/// Longest an answer may take to be written before the client is taken for gone.
const WRITE_WITHIN: Duration = Duration::from_secs(10);
/// Longest `GET /board/view?after=SEQ` waits for a publication newer than SEQ before it
/// answers 204: a paused or ended exercise costs a board one request per this time, and a
/// running one is shown as soon as it publishes.
pub const HOLD_FOR_NEWER: Duration = Duration::from_secs(10);

/// What the board serves: the page, built once, and the latest observer view.
pub struct Board {
    page: Bytes,
    latest: Mutex<Latest>,
    /// The latest publication's number, for requests waiting for a newer one.
    published: tokio::sync::watch::Sender<u64>,
}

#[derive(Default)]
struct Latest {
    seq: u64,
    time_s: i64,
    view: Option<Arc<Map<String, Value>>>,
    /// The answer to `GET /board/view` for this publication, made on the first request.
    json: Option<Bytes>,
}

impl Board {
    pub fn new(scenario: &Scenario) -> Board {
        let geometry = MapGeometry::of(scenario);
        let zone = serde_json::to_string(&Zone::of(scenario, &geometry)).expect("the zone serialises");
        // Inside a <script> element nothing may close it: `</` never appears in the JSON.
        let zone = zone.replace("</", "<\\/");
        let page = PAGE_TEMPLATE.replacen("/*ZONE*/null", &zone, 1);
        Board {
            page: Bytes::from(page),
            latest: Mutex::new(Latest::default()),
            published: tokio::sync::watch::Sender::new(0),
        }
    }

    /// Keeps the latest observer view of every publication until the server stops. A
    /// publication carries the whole view, so one missed (this task lagging) costs
    /// nothing.
    pub async fn follow(self: Arc<Board>, mut updates: broadcast::Receiver<Arc<Published>>) {
        loop {
            match updates.recv().await {
                Ok(published) => {
                    if let Some(view) = published.views.get(&ViewKey::Watch) {
                        *self.latest.lock().expect("not poisoned") = Latest {
                            seq: published.seq,
                            time_s: published.time_s,
                            view: Some(view.full.clone()),
                            json: None,
                        };
                        self.published.send_replace(published.seq);
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    }

    /// The answer to a request that was read and checked; a request for a view newer than
    /// the latest waits for one (at most [`HOLD_FOR_NEWER`]).
    async fn answer_when_newer(&self, request: &Request) -> Response {
        match route(request) {
            Ok(Route::View(Some(after))) => {
                let mut published = self.published.subscribe();
                // Ends on the first publication after `after`, or at the time limit (the
                // answer is then 204); the sender lives as long as the board.
                let _ = tokio::time::timeout(HOLD_FOR_NEWER, published.wait_for(|seq| *seq != after)).await;
                self.view(Some(after))
            }
            Ok(route) => self.answer(route),
            Err(refusal) => refusal,
        }
    }

    /// The answer to a request that was routed, at once.
    fn answer(&self, route: Route) -> Response {
        match route {
            Route::Page => Response::page(self.page.clone()),
            Route::View(after) => self.view(after),
        }
    }

    /// The latest observer view, or 204 when it is the one the client has (`after`).
    fn view(&self, after: Option<u64>) -> Response {
        let mut latest = self.latest.lock().expect("not poisoned");
        let Some(view) = latest.view.clone() else {
            return Response::error(503, "the exercise has no view yet");
        };
        if after == Some(latest.seq) {
            return Response::no_content();
        }
        let (seq, time_s) = (latest.seq, latest.time_s);
        let json = latest.json.get_or_insert_with(|| {
            let body = serde_json::json!({ "seq": seq, "time_s": time_s, "view": &*view });
            Bytes::from(serde_json::to_vec(&body).expect("a view serialises"))
        });
        Response::json(json.clone())
    }
}

/// What a board request asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Route {
    /// The page, `/board`.
    Page,
    /// The latest view, `/board/view`, or 204 if it is the one numbered `after`.
    View(Option<u64>),
}

/// A request's route, its query read once; or the refusal to give.
fn route(request: &Request) -> Result<Route, Response> {
    match request.path.as_str() {
        "/board" if request.query.is_none() => Ok(Route::Page),
        "/board/view" => match request.query.as_deref().map(parse_after) {
            None => Ok(Route::View(None)),
            Some(Ok(after)) => Ok(Route::View(Some(after))),
            Some(Err(reason)) => Err(Response::error(400, &reason)),
        },
        "/board" => Err(Response::error(400, "/board takes no query")),
        _ => Err(Response::error(404, "not found: the board is at /board")),
    }
}

/// `after=SEQ`, the only query `/board/view` takes.
fn parse_after(query: &str) -> Result<u64, String> {
    query
        .strip_prefix("after=")
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| "/board/view takes one query, after=SEQ (a publication number)".to_string())
}

/// Serves one connection: HTTP to the board, anything else to the seats' protocol.
/// `peer` names the client in the server's log.
pub async fn serve_connection(mut stream: Stream, peer: String, shared: Arc<Shared>, board: Arc<Board>) {
    match tokio::time::timeout(FIRST_BYTE_WITHIN, first_byte(&mut stream)).await {
        // Closed before a byte.
        Ok(None) => {}
        Ok(Some(first)) if first.is_ascii_alphabetic() => serve_http(stream, &board).await,
        _ => super::connection::serve(stream, peer, shared).await,
    }
}

/// The connection's first byte, left in the stream's buffer to be read again; `None` when
/// it closed (or failed) before one came.
async fn first_byte(stream: &mut Stream) -> Option<u8> {
    stream
        .fill_buf()
        .await
        .ok()
        .and_then(|buffered| buffered.first().copied())
}

/// Reads one request, answers it and closes the connection.
async fn serve_http(mut stream: Stream, board: &Board) {
    let response = match tokio::time::timeout(HEAD_WITHIN, read_head(&mut stream)).await {
        Err(_) => Response::error(
            408,
            &format!("the request did not arrive within {} s", HEAD_WITHIN.as_secs()),
        ),
        Ok(Err(HeadError::Closed)) => return,
        Ok(Err(HeadError::TooLarge)) => {
            Response::error(431, &format!("the request's head is over {HEAD_BYTES_MAX} bytes"))
        }
        Ok(Ok(head)) => match parse_request(&head) {
            Ok(request) => board.answer_when_newer(&request).await,
            Err(response) => response,
        },
    };
    write_and_close(stream, &response).await;
}

/// Writes an answer and closes the connection.
async fn write_and_close(mut stream: Stream, response: &Response) {
    let bytes = response.bytes();
    if let Ok(Ok(())) = tokio::time::timeout(WRITE_WITHIN, stream.write_all(&bytes)).await {
        let _ = stream.shutdown().await;
        // Read what the client still sends for a moment, so that closing with unread
        // bytes does not reset the connection before the answer arrives.
        let mut sink = [0u8; 4096];
        let drain = async {
            let mut drained = 0usize;
            while drained < 64 * 1024 {
                match stream.read(&mut sink).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => drained += n,
                }
            }
        };
        let _ = tokio::time::timeout(Duration::from_millis(500), drain).await;
    }
}

/// Time a connection refused because the server is full has to show what it speaks.
const FULL_FIRST_BYTE_WITHIN: Duration = Duration::from_secs(1);
/// What a client refused because the server is full is told to wait before asking again [s].
pub const FULL_RETRY_AFTER_S: u32 = 5;

/// Refuses a connection beyond [`super::CONNECTIONS_MAX`]: a browser gets `503 Service
/// Unavailable` with `Retry-After`, a seat its `refused` frame. Its request is not read
/// (the answer is the same whatever it asks), and the connection is held a few seconds
/// at most.
pub async fn refuse_full(mut stream: Stream) {
    match tokio::time::timeout(FULL_FIRST_BYTE_WITHIN, first_byte(&mut stream)).await {
        Ok(None) => {}
        Ok(Some(first)) if first.is_ascii_alphabetic() => {
            // The request is not read, so its Accept-Language is not known: both languages.
            let full = super::connection::said(
                format!(
                    "the server is full ({} connections); try again in {FULL_RETRY_AFTER_S} s",
                    super::CONNECTIONS_MAX
                ),
                "srv-full-retry",
                vec![
                    ("max", Arg::Plain(super::CONNECTIONS_MAX.to_string())),
                    ("seconds", Arg::Plain(FULL_RETRY_AFTER_S.to_string())),
                ],
            );
            let (reason, _) = super::connection::told_unknown(&full);
            let mut response = Response::error(503, &reason);
            response.retry_after_s = Some(FULL_RETRY_AFTER_S);
            write_and_close(stream, &response).await;
        }
        _ => super::connection::refuse_full(stream).await,
    }
}

enum HeadError {
    Closed,
    TooLarge,
}

/// The bytes up to the blank line that ends a request's head, at most [`HEAD_BYTES_MAX`].
async fn read_head(stream: &mut Stream) -> Result<Vec<u8>, HeadError> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        let n = stream.read(&mut chunk).await.map_err(|_| HeadError::Closed)?;
        if n == 0 {
            return Err(HeadError::Closed);
        }
        let searched_from = head.len().saturating_sub(3);
        head.extend_from_slice(&chunk[..n]);
        if let Some(end) = head[searched_from..].windows(4).position(|w| w == b"\r\n\r\n") {
            head.truncate(searched_from + end);
            return Ok(head);
        }
        if head.len() > HEAD_BYTES_MAX {
            return Err(HeadError::TooLarge);
        }
    }
}

/// A request the board answers.
#[derive(Debug, PartialEq)]
pub struct Request {
    pub path: String,
    pub query: Option<String>,
}

/// Checks a request's head (without its final blank line): `GET`, HTTP/1.0 or 1.1, a
/// target in origin form, well-formed headers, a `Host` in HTTP/1.1, no body.
pub fn parse_request(head: &[u8]) -> Result<Request, Response> {
    let bad = |reason: &str| Response::error(400, reason);
    let head = std::str::from_utf8(head).map_err(|_| bad("the request's head is not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let parts: Vec<&str> = request_line.split(' ').collect();
    let [method, target, version] = parts[..] else {
        return Err(bad("the request line is not METHOD TARGET VERSION"));
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(bad("the method is not a token"));
    }
    if !matches!(version, "HTTP/1.1" | "HTTP/1.0") {
        return Err(Response::error(505, "this server speaks HTTP/1.1 and HTTP/1.0"));
    }
    if method != "GET" {
        return Err(Response::error(
            405,
            &format!("{method}: the board is read-only; use GET"),
        ));
    }
    if target.len() > TARGET_BYTES_MAX {
        return Err(Response::error(
            414,
            &format!("the target is over {TARGET_BYTES_MAX} bytes"),
        ));
    }
    if !target.starts_with('/') || !target.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad("the target is not an absolute path"));
    }
    let mut host = false;
    for (n, line) in lines.enumerate() {
        if n == HEADERS_MAX {
            return Err(Response::error(431, &format!("more than {HEADERS_MAX} header lines")));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(bad("a header line without a colon"));
        };
        let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
        if name.is_empty() || !name.bytes().all(token) {
            // Also a line folded onto the previous one (obsolete, refused by RFC 9112).
            return Err(bad("a header name is not a token"));
        }
        let value = value.trim_matches([' ', '\t']);
        if name.eq_ignore_ascii_case("host") {
            host = true;
        } else if name.eq_ignore_ascii_case("transfer-encoding")
            || (name.eq_ignore_ascii_case("content-length") && value != "0")
        {
            return Err(bad("a GET request has no body"));
        }
    }
    if version == "HTTP/1.1" && !host {
        return Err(bad("an HTTP/1.1 request names its Host"));
    }
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query.to_string())),
        None => (target, None),
    };
    Ok(Request {
        path: path.to_string(),
        query,
    })
}

/// An answer: status, content type and body; every one closes the connection.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    content_type: &'static str,
    body: Bytes,
    /// The page's own rule: nothing is loaded from anywhere, not even from this server.
    page: bool,
    /// `Retry-After` [s]: when to ask again (a server that is full).
    retry_after_s: Option<u32>,
}

impl Response {
    fn page(body: Bytes) -> Response {
        Response {
            status: 200,
            content_type: "text/html; charset=utf-8",
            body,
            page: true,
            retry_after_s: None,
        }
    }

    fn json(body: Bytes) -> Response {
        Response {
            status: 200,
            content_type: "application/json",
            body,
            page: false,
            retry_after_s: None,
        }
    }

    fn no_content() -> Response {
        Response {
            status: 204,
            content_type: "text/plain; charset=utf-8",
            body: Bytes::new(),
            page: false,
            retry_after_s: None,
        }
    }

    fn error(status: u16, reason: &str) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            body: Bytes::from(format!("{status} {}: {reason}\n", status_text(status))),
            page: false,
            retry_after_s: None,
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nConnection: close\r\nCache-Control: no-store\r\n\
             X-Content-Type-Options: nosniff\r\n",
            self.status,
            status_text(self.status)
        );
        if self.status != 204 {
            head.push_str(&format!(
                "Content-Type: {}\r\nContent-Length: {}\r\n",
                self.content_type,
                self.body.len()
            ));
        }
        if self.status == 405 {
            head.push_str("Allow: GET\r\n");
        }
        if let Some(seconds) = self.retry_after_s {
            head.push_str(&format!("Retry-After: {seconds}\r\n"));
        }
        if self.page {
            head.push_str(
                "Content-Security-Policy: default-src 'none'; script-src 'unsafe-inline'; \
                 style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'\r\n",
            );
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }
}

fn status_text(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Error",
    }
}

/// The zone as the page draws it: the console's map geometry ([`MapGeometry`]) with the
/// scenario's names of every place and the jurisdiction it belongs to. Geography only:
/// nothing of the incidents, which the page learns from the observer view.
#[derive(Serialize)]
struct Zone<'a> {
    /// (west, south, east, north) [degrees].
    bounds: (f64, f64, f64, f64),
    jurisdictions: Vec<Place<'a>>,
    reaches: Vec<ZoneReach<'a>>,
    lakes: Vec<ZonePoint<'a>>,
    points: Vec<ZonePoint<'a>>,
    roads: Vec<((f64, f64), (f64, f64))>,
    /// Depots, where idle teams wait (names only).
    depots: Vec<Place<'a>>,
}

#[derive(Serialize)]
struct Place<'a> {
    id: &'a str,
    name: &'a str,
    name_zh: &'a str,
}

#[derive(Serialize)]
struct ZoneReach<'a> {
    #[serde(flatten)]
    place: Place<'a>,
    jurisdiction: &'a str,
    /// (lon, lat) from the upstream node to the downstream one.
    path: &'a [(f64, f64)],
}

#[derive(Serialize)]
struct ZonePoint<'a> {
    #[serde(flatten)]
    place: Place<'a>,
    /// `lake`, or the named point's kind (`intake`, `border_section`, `station`, …).
    kind: &'static str,
    jurisdiction: &'a str,
    lon: f64,
    lat: f64,
    /// The reach it is on (index into `reaches`), or the lake it is in (id): where the
    /// page colours the water by the latest result there.
    reach: Option<usize>,
    lake: Option<&'a str>,
}

impl<'a> Zone<'a> {
    fn of(scenario: &'a Scenario, geometry: &'a MapGeometry) -> Zone<'a> {
        let jurisdiction = |j: usize| scenario.jurisdictions[j].id.as_str();
        Zone {
            bounds: geometry.bounds,
            jurisdictions: scenario
                .jurisdictions
                .iter()
                .map(|j| Place {
                    id: &j.id,
                    name: &j.name,
                    name_zh: &j.name_zh,
                })
                .collect(),
            reaches: scenario
                .reaches
                .iter()
                .zip(&geometry.reaches)
                .map(|(r, path)| ZoneReach {
                    place: Place {
                        id: &r.id,
                        name: &r.name,
                        name_zh: &r.name_zh,
                    },
                    jurisdiction: jurisdiction(r.jurisdiction),
                    path,
                })
                .collect(),
            lakes: geometry
                .lakes
                .iter()
                .filter_map(|(id, lon, lat)| {
                    let node = scenario.nodes.iter().find(|n| &n.id == id)?;
                    Some(ZonePoint {
                        place: Place {
                            id: &node.id,
                            name: &node.name,
                            name_zh: &node.name_zh,
                        },
                        kind: "lake",
                        jurisdiction: jurisdiction(node.jurisdiction),
                        lon: *lon,
                        lat: *lat,
                        reach: None,
                        lake: None,
                    })
                })
                .collect(),
            points: scenario
                .points
                .iter()
                .zip(&geometry.points)
                .map(|(p, at)| ZonePoint {
                    place: Place {
                        id: &p.id,
                        name: &p.name,
                        name_zh: &p.name_zh,
                    },
                    kind: point_kind(p.kind),
                    jurisdiction: jurisdiction(p.jurisdiction),
                    lon: at.lon,
                    lat: at.lat,
                    reach: match p.location {
                        Location::Reach { reach, .. } => Some(reach),
                        _ => None,
                    },
                    lake: p
                        .location
                        .node()
                        .map(|n| &scenario.nodes[n])
                        .filter(|n| matches!(n.kind, NodeKind::Lake { .. }))
                        .map(|n| n.id.as_str()),
                })
                .collect(),
            roads: geometry.roads.clone(),
            depots: scenario
                .depots
                .iter()
                .map(|d| Place {
                    id: &d.id,
                    name: &d.name,
                    name_zh: &d.name_zh,
                })
                .collect(),
        }
    }
}

fn point_kind(kind: PointKind) -> &'static str {
    match kind {
        PointKind::Intake => "intake",
        PointKind::BorderSection => "border_section",
        PointKind::Station => "station",
        PointKind::Buoy => "buoy",
        PointKind::MicroStation => "micro_station",
        PointKind::Section => "section",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status_of(head: &str) -> u16 {
        match parse_request(head.as_bytes()) {
            Ok(_) => 200,
            Err(response) => response.status,
        }
    }

    #[test]
    fn a_plain_get_is_read_with_its_path_and_query() {
        let request =
            parse_request(b"GET /board/view?after=12 HTTP/1.1\r\nHost: 127.0.0.1:7400\r\nAccept: */*").unwrap();
        assert_eq!(request.path, "/board/view");
        assert_eq!(request.query.as_deref(), Some("after=12"));
        assert_eq!(parse_after("after=12"), Ok(12));
        assert!(parse_after("after=x").is_err());
        assert!(parse_after("since=1").is_err());
        // HTTP/1.0 needs no Host.
        assert_eq!(status_of("GET /board HTTP/1.0"), 200);
    }

    #[test]
    fn other_methods_malformed_heads_and_bodies_are_refused() {
        assert_eq!(status_of("POST /board HTTP/1.1\r\nHost: x"), 405);
        assert_eq!(status_of("HEAD /board HTTP/1.1\r\nHost: x"), 405);
        assert_eq!(status_of("GET /board HTTP/2.0\r\nHost: x"), 505);
        assert_eq!(status_of("GET /board HTTP/1.1"), 400, "no Host");
        assert_eq!(status_of("GET  /board HTTP/1.1\r\nHost: x"), 400);
        assert_eq!(status_of("GET http://elsewhere/ HTTP/1.1\r\nHost: x"), 400);
        assert_eq!(status_of("get /board HTTP/1.1\r\nHost: x"), 400);
        assert_eq!(status_of("GET /board HTTP/1.1\r\nHost: x\r\n folded"), 400);
        assert_eq!(status_of("GET /board HTTP/1.1\r\nHost: x\r\nno colon"), 400);
        assert_eq!(status_of("GET /board HTTP/1.1\r\nHost: x\r\nContent-Length: 5"), 400);
        assert_eq!(
            status_of("GET /board HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"),
            400
        );
        let long = format!("GET /{} HTTP/1.1\r\nHost: x", "a".repeat(TARGET_BYTES_MAX));
        assert_eq!(status_of(&long), 414);
        let many = format!("GET /board HTTP/1.1\r\nHost: x{}", "\r\nX-A: 1".repeat(HEADERS_MAX));
        assert_eq!(status_of(&many), 431);
    }

    #[tokio::test]
    async fn the_board_keeps_the_observer_view_never_the_truth() {
        use super::super::simulation::PublishedView;
        let board = Arc::new(Board::new(&tripoint_sim::scenario::Scenario::builtin()));
        let (updates, receiver) = broadcast::channel(4);
        let following = tokio::spawn(board.clone().follow(receiver));
        let view = |what: &str| {
            let mut full = Map::new();
            full.insert("incidents".into(), serde_json::json!([what]));
            PublishedView {
                changed: full.clone(),
                spliced: None,
                full: Arc::new(full),
            }
        };
        let mut views = std::collections::BTreeMap::new();
        views.insert(ViewKey::Truth, view("the hidden release"));
        views.insert(ViewKey::Watch, view("what the players know"));
        let sent = updates.send(Arc::new(Published {
            seq: 7,
            time_s: 7200,
            views,
        }));
        assert!(sent.is_ok(), "the board follows the publications");
        drop(updates);
        following.await.unwrap();
        let answer = board.view(None);
        assert_eq!(answer.status, 200);
        let body = std::str::from_utf8(&answer.body).unwrap();
        assert!(
            body.contains("what the players know") && !body.contains("hidden"),
            "{body}"
        );
        assert!(body.starts_with(r#"{"seq":7,"time_s":7200,"#), "{body}");
        assert_eq!(board.view(Some(7)).status, 204, "nothing newer than 7");
        assert_eq!(board.view(Some(6)).status, 200);
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_for_a_newer_view_waits_for_the_next_publication_or_answers_204() {
        use super::super::simulation::PublishedView;
        let board = Arc::new(Board::new(&tripoint_sim::scenario::Scenario::builtin()));
        let (updates, receiver) = broadcast::channel(4);
        tokio::spawn(board.clone().follow(receiver));
        let publish = |seq: u64| {
            let mut full = Map::new();
            full.insert("seq_seen".into(), serde_json::json!(seq));
            let mut views = std::collections::BTreeMap::new();
            views.insert(
                ViewKey::Watch,
                PublishedView {
                    changed: full.clone(),
                    spliced: None,
                    full: Arc::new(full),
                },
            );
            let sent = updates.send(Arc::new(Published { seq, time_s: 0, views }));
            assert!(sent.is_ok());
        };
        publish(1);
        tokio::task::yield_now().await;
        let request = |query: &str| Request {
            path: "/board/view".into(),
            query: Some(query.into()),
        };
        // Already newer: at once.
        let started = tokio::time::Instant::now();
        assert_eq!(board.answer_when_newer(&request("after=0")).await.status, 200);
        assert_eq!(started.elapsed(), Duration::ZERO);
        // Nothing newer: held for the whole limit, then 204.
        assert_eq!(board.answer_when_newer(&request("after=1")).await.status, 204);
        assert_eq!(started.elapsed(), HOLD_FOR_NEWER);
        // A publication during the hold answers it with that view, before the limit.
        let waiting = {
            let board = board.clone();
            tokio::spawn(async move { board.answer_when_newer(&request("after=1")).await })
        };
        tokio::time::sleep(Duration::from_secs(3)).await;
        publish(2);
        let answer = waiting.await.unwrap();
        assert_eq!(answer.status, 200);
        assert!(std::str::from_utf8(&answer.body).unwrap().starts_with(r#"{"seq":2,"#));
        assert_eq!(started.elapsed(), HOLD_FOR_NEWER + Duration::from_secs(3));
    }

    #[test]
    fn the_page_has_the_zone_and_no_reference_elsewhere() {
        let scenario = tripoint_sim::scenario::Scenario::builtin();
        let board = Board::new(&scenario);
        let page = std::str::from_utf8(&board.page).unwrap();
        assert!(!page.contains("/*ZONE*/"), "the zone is put in");
        assert!(page.contains("金泽水库取水口"), "the Jinze intake's name");
        assert!(page.contains("\"name_zh\":\"青浦区\""), "the jurisdictions' names");
        assert!(
            !page.contains("http://") && !page.contains("https://"),
            "no external reference"
        );
        let elsewhere = route(&Request {
            path: "/elsewhere".into(),
            query: None,
        });
        assert_eq!(elsewhere.expect_err("not the board's").status, 404);
        // No publication yet: no view to give.
        assert_eq!(board.view(None).status, 503);
    }
}
