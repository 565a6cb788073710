//! `tripoint join ADDR --seat NAME`: a seat of the exercise server on a plain terminal
//! line by line, until the console connects (`tripoint console --connect`, not built
//! yet). It prints what changes in the seat's view (the clock, incidents, plans, the
//! inbox, results, the log) and sends what is typed: an action as JSON, the way the
//! protocol writes it (`{"acknowledge":{"inject":3}}`), or a word (`pause`, `resume`,
//! `speed fastest`, `view`, `quit`). Scripts can pipe actions in the same way.

use crate::input::{CliError, CliResult};
use crate::net::client::{Client, ClientError, read_token};
use crate::net::{Control, ServerMessage};
use serde_json::{Map, Value};
use std::path::PathBuf;
use tokio::io::AsyncBufReadExt as _;
use tripoint_sim::drill::clock::Speed;
use tripoint_sim::drill::view::Snapshot;
use tripoint_sim::time::SimTime;

#[derive(clap::Args, Debug)]
pub struct JoinArgs {
    /// The server's address, e.g. 127.0.0.1:7400.
    pub addr: String,
    /// The seat's name in the seats file.
    #[arg(long)]
    pub seat: String,
    /// A file holding the seat's token (default: the TRIPOINT_TOKEN environment variable).
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// TLS to the server (`--tls --ca FILE.pem [--server-name NAME]`).
    #[command(flatten)]
    pub tls: crate::net::tls::TlsArgs,
}

pub fn run(args: &JoinArgs) -> CliResult {
    let token = read_token(args.token_file.as_deref()).map_err(CliError::Input)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Internal(e.into()))?;
    runtime.block_on(session(args, &token))
}

async fn session(args: &JoinArgs, token: &str) -> CliResult {
    let transport = args.tls.transport(&args.addr).map_err(CliError::Input)?;
    // A Chinese session asks for the server's answers in Chinese; an English one names no
    // language, as before.
    let lang = crate::i18n::current();
    let lang = (lang != crate::i18n::Lang::En).then(|| lang.tag());
    let mut client = Client::connect_in(&transport, &args.addr, &args.seat, token, None, lang)
        .await
        .map_err(|e| match e {
            ClientError::Io(e) => CliError::Input(format!("{}: cannot connect: {e}", args.addr)),
            other => CliError::Input(format!("{}: {other}", args.addr)),
        })?;
    println!(
        "joined as {} ({}); type an action as JSON, or pause, resume, speed 1|10|60|600|fastest, \
         pause at [D2] HH:MM, observe [@TARGET] TEXT (evaluators), view, quit",
        client.seat, client.role
    );
    let mut shown = Map::new();
    print_changes(&mut shown, client.view());
    let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
    let mut stdin_open = true;
    loop {
        tokio::select! {
            line = lines.next_line(), if stdin_open => {
                let Ok(Some(line)) = line else {
                    stdin_open = false;
                    continue;
                };
                match command(&mut client, line.trim()).await {
                    Ok(true) => {}
                    Ok(false) => return Ok(()),
                    Err(ClientError::Closed(reason)) => return closed(reason),
                    Err(e) => return Err(CliError::Internal(anyhow::anyhow!("{e}"))),
                }
                print_changes(&mut shown, client.view());
            }
            message = client.next_message() => {
                match message {
                    Ok(ServerMessage::Error { reason, .. }) => println!("server: {reason}"),
                    Ok(_) => print_changes(&mut shown, client.view()),
                    Err(ClientError::Closed(reason)) => return closed(reason),
                    Err(e) => return Err(CliError::Internal(anyhow::anyhow!("{e}"))),
                }
            }
        }
    }
}

fn closed(reason: Option<String>) -> CliResult {
    println!(
        "the server closed the connection{}",
        reason.map_or(String::new(), |r| format!(": {r}"))
    );
    Ok(())
}

/// Carries out one typed line; `false`: quit.
async fn command(client: &mut Client, line: &str) -> Result<bool, ClientError> {
    let control = match line.split_whitespace().collect::<Vec<_>>()[..] {
        [] => return Ok(true),
        ["quit"] | ["exit"] => return Ok(false),
        ["view"] => {
            println!("{}", serde_json::to_string_pretty(client.view()).unwrap_or_default());
            return Ok(true);
        }
        ["pause"] => Control::Pause,
        ["observe", ..] => {
            // `observe [@target] text`: an evaluator's observation.
            let rest = line.trim().trim_start_matches("observe").trim();
            let (target, text) = match rest.strip_prefix('@') {
                Some(tagged) => match tagged.split_once(char::is_whitespace) {
                    Some((target, text)) => (Some(target.to_string()), text.trim()),
                    None => (Some(tagged.to_string()), ""),
                },
                None => (None, rest),
            };
            let action = tripoint_sim::drill::Action::Observe {
                text: text.to_string(),
                target,
            };
            let ack = client.act(action).await?;
            println!("#{} {:?}: {}", ack.id, ack.status, ack.detail);
            return Ok(true);
        }
        ["pause", "at", ..] => {
            let clock = line
                .trim()
                .trim_start_matches("pause")
                .trim_start()
                .trim_start_matches("at");
            match tripoint_sim::time::SimTime::parse_clock(clock) {
                Some(at) => Control::PauseAt(at.seconds()),
                None => {
                    println!("pause at {:?}: expected HH:MM or D2 HH:MM", clock.trim());
                    return Ok(true);
                }
            }
        }
        ["resume"] => Control::Resume,
        ["speed", speed] => match crate::serve::parse_speed(speed) {
            Some(speed) => Control::Speed(speed),
            None => {
                println!("speed {speed:?}: expected 1, 10, 60, 600 or fastest");
                return Ok(true);
            }
        },
        _ => match serde_json::from_str::<tripoint_sim::drill::Action>(line) {
            Ok(action) => {
                let ack = client.act(action).await?;
                println!("#{} {:?}: {}", ack.id, ack.status, ack.detail);
                return Ok(true);
            }
            Err(e) => {
                println!("not an action ({e}); see docs/protocol.md for the actions");
                return Ok(true);
            }
        },
    };
    let ack = client.control(control).await?;
    println!("#{} {:?}: {}", ack.id, ack.status, ack.detail);
    Ok(true)
}

/// Prints a line for each part of the view that changed since it was last printed.
fn print_changes(shown: &mut Map<String, Value>, view: &Map<String, Value>) {
    let Ok(snapshot) = serde_json::from_value::<Snapshot>(Value::Object(view.clone())) else {
        return;
    };
    let changed = |field: &str| shown.get(field) != view.get(field);
    if changed("clock") {
        let clock = &view["clock"];
        let state = if clock["finished"] == true {
            "ended".to_string()
        } else if clock["paused"] == true {
            "paused".to_string()
        } else {
            let speed: Option<Speed> = serde_json::from_value(clock["speed"].clone()).ok();
            format!("running {}", speed.map_or("", Speed::label))
        };
        println!("{}  clock {state}", snapshot.now.clock_label());
    }
    // The entries of a list field that are new or changed since it was last printed.
    let fresh = |field: &str| -> Vec<bool> {
        let before: Vec<Value> = shown.get(field).and_then(Value::as_array).cloned().unwrap_or_default();
        let now: Vec<Value> = view.get(field).and_then(Value::as_array).cloned().unwrap_or_default();
        now.iter().map(|v| !before.contains(v)).collect()
    };
    if changed("incidents") {
        for (i, _) in snapshot.incidents.iter().zip(fresh("incidents")).filter(|(_, f)| *f) {
            println!(
                "{}  incident [{}] {} in {}: {} at {}, level {}",
                label(snapshot.now),
                i.idx,
                i.id,
                i.jurisdiction,
                i.pollutant,
                i.place,
                i.level
            );
        }
    }
    if changed("plans") {
        for (p, _) in snapshot.plans.iter().zip(fresh("plans")).filter(|(_, f)| *f) {
            let approval = p.approved.as_ref().map_or("proposed".to_string(), |(at, by)| {
                format!("approved by {by} at {}", at.clock_label())
            });
            println!(
                "{}  plan of incident [{}] r{}: {} points, {approval}",
                label(snapshot.now),
                p.incident,
                p.revision,
                p.points.len()
            );
        }
    }
    if changed("inbox") {
        let before: Vec<(usize, bool)> = serde_json::from_value::<Vec<tripoint_sim::drill::view::InboxView>>(
            shown.get("inbox").cloned().unwrap_or(Value::Array(Vec::new())),
        )
        .map(|items| items.iter().map(|i| (i.inject, i.acknowledged_at.is_some())).collect())
        .unwrap_or_default();
        for item in &snapshot.inbox {
            if !before.contains(&(item.inject, item.acknowledged_at.is_some())) {
                let state = if item.acknowledged_at.is_some() {
                    "acknowledged"
                } else {
                    "new"
                };
                println!(
                    "{}  inject [{}] {} to {} ({state}) from {} by {}: {}",
                    label(item.delivered_at),
                    item.inject,
                    item.number,
                    item.seat_label,
                    item.from,
                    item.channel,
                    item.message
                );
            }
        }
    }
    let n_shown = |field: &str| shown.get(field).and_then(Value::as_array).map_or(0, Vec::len);
    if changed("results") {
        for r in snapshot.results.iter().skip(n_shown("results")) {
            println!(
                "{}  result at {}: {:.4} mg/L {} (limit {}) by {}",
                label(r.known_at),
                r.point,
                r.mg_l,
                r.pollutant,
                r.limit_mg_l,
                r.team
            );
        }
    }
    if changed("log") {
        // The log is in time order, and an entry may come in before the last shown one.
        for (entry, _) in snapshot.log.iter().zip(fresh("log")).filter(|(_, f)| *f) {
            println!("{}  {}: {}", label(SimTime(entry.at_s)), entry.who, entry.what);
        }
    }
    *shown = view.clone();
}

fn label(t: SimTime) -> String {
    t.clock_label()
}
