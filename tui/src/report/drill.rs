//! The drill's after-action report and improvement plan (HSEEP AAR/IP) as files:
//! `report.md`, `report.json` and the SVG charts it links, in the person's language
//! (`report.ftl`). Byte-identical for the same script, seed, version and language: nothing
//! here reads the clock. English is the text it has always been; Chinese shows scenario
//! names by `name_zh` and the script's texts by their `_zh` variants where the script
//! gives them. The evaluation's sentences (evidence, strengths and areas for improvement,
//! causes, corrective actions) come from the simulation as message ids with arguments
//! ([`Text`]) and are rendered here, and so are the timeline's events (English shows the
//! simulation's `what`, the same text).

use super::charts::{self, Bar, GroupedBars, Marker, SeriesChart, Timeline};
use crate::i18n::{Lang, scenario_name};
use anyhow::Context as _;
use fluent_bundle::FluentValue;
use plotters::style::RGBColor;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use tripoint_sim::drill::causes::{CauseKind, Element};
use tripoint_sim::drill::evaluate::fmt_span;
use tripoint_sim::drill::evaluate::{Finding, TimelineEntry};
use tripoint_sim::drill::text::{Arg, Text};
use tripoint_sim::drill::{Drill, DrillReport, Expectation, Rating};
use tripoint_sim::response::ALARM_DISCOVERY_PREFIX;
use tripoint_sim::time::SimTime;

fn clock(seconds: i64) -> String {
    SimTime(seconds).clock_label()
}

fn opt_clock(seconds: Option<i64>) -> String {
    seconds.map_or("—".to_string(), clock)
}

/// Table cells: no pipes or line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "/").replace('\n', " ")
}

/// What the writer needs to speak: the language, the drill (its script's Chinese texts and
/// its scenario's names).
struct Words<'a> {
    lang: Lang,
    drill: &'a Drill,
}

impl Words<'_> {
    fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    fn t_args(&self, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        self.lang.t_args(key, args)
    }

    /// A scenario id (jurisdiction, point, team, pollutant) as the language shows it.
    fn name(&self, id: &str) -> String {
        scenario_name(self.lang, &self.drill.scenario, id)
    }

    /// A script's text or its Chinese variant.
    fn pick<'s>(&self, en: &'s str, zh: &'s str) -> &'s str {
        self.lang.name(en, zh)
    }

    /// A `## heading` line from a message.
    fn heading(&self, level: usize, key: &str) -> String {
        format!("{} {}", "#".repeat(level), self.t(key))
    }

    /// A table's header row from a message, and its separator row.
    fn header(&self, key: &str) -> String {
        let row = self.t(key);
        let columns = row.matches('|').count().saturating_sub(1);
        format!("{row}\n|{}", "---|".repeat(columns))
    }

    /// A duration such as `1 h 18 min` (`1 小时 18 分`).
    fn span(&self, seconds: i64) -> String {
        match self.lang {
            Lang::En => fmt_span(seconds),
            Lang::ZhCn => {
                let minutes = seconds.abs() / 60;
                let sign = if seconds < 0 { "-" } else { "" };
                if minutes >= 60 {
                    format!("{sign}{} 小时 {:02} 分", minutes / 60, minutes % 60)
                } else {
                    format!("{sign}{minutes} 分钟")
                }
            }
        }
    }

    fn rating_word(&self, r: Rating) -> String {
        self.t(match r {
            Rating::P => "aar-rating-p",
            Rating::S => "aar-rating-s",
            Rating::M => "aar-rating-m",
            Rating::U => "aar-rating-u",
        })
    }

    fn rating(&self, r: Option<Rating>) -> String {
        r.map_or_else(|| self.t("aar-rating-none"), |r| format!("**{}**", self.rating_word(r)))
    }

    /// An incident by its name (English) or its script's Chinese name, else its id.
    fn incident(&self, id: &str, name: &str) -> String {
        match self.lang {
            Lang::En => name.to_string(),
            Lang::ZhCn => self.incident_id(id),
        }
    }

    /// An incident id as a label: the id in English, its Chinese name in Chinese.
    fn incident_id(&self, id: &str) -> String {
        match self.lang {
            Lang::ZhCn => self
                .drill
                .scenario
                .incidents
                .iter()
                .find(|i| i.id == id && !i.name_zh.is_empty())
                .map(|i| i.name_zh.clone()),
            Lang::En => None,
        }
        .unwrap_or_else(|| id.to_string())
    }

    /// How an incident became known, as the simulation names it.
    fn known_by(&self, by: Option<&str>) -> String {
        match (self.lang, by) {
            (_, None) => self.t("aar-known-never"),
            (Lang::En, Some(by)) => by.to_string(),
            (Lang::ZhCn, Some("enterprise report")) => self.t("aar-known-enterprise"),
            (Lang::ZhCn, Some("public report")) => self.t("aar-known-public"),
            (Lang::ZhCn, Some(by)) => match by.strip_prefix(ALARM_DISCOVERY_PREFIX) {
                Some(point) => self.t_args("aar-known-alarm", &[("point", self.name(point).into())]),
                None => by.to_string(),
            },
        }
    }

    fn policy(&self, policy: &str) -> String {
        const WORDS: &[(&str, &str)] = &[
            ("unified", "aar-policy-unified"),
            ("county", "aar-policy-county"),
            ("pooled_due", "aar-policy-pooled_due"),
            ("county_plume", "aar-policy-county_plume"),
        ];
        self.looked_up(WORDS, policy).unwrap_or_else(|| policy.to_string())
    }

    fn grade(&self, grade: &str) -> String {
        const WORDS: &[(&str, &str)] = &[
            ("excellent", "aar-grade-excellent"),
            ("good", "aar-grade-good"),
            ("pass", "aar-grade-pass"),
            ("fail", "aar-grade-fail"),
        ];
        self.looked_up(WORDS, grade).unwrap_or_else(|| grade.to_string())
    }

    /// A chart point's kind (`border_section`) as a word.
    fn point_kind(&self, kind: &str) -> String {
        const WORDS: &[(&str, &str)] = &[
            ("intake", "aar-kind-intake"),
            ("border_section", "aar-kind-border"),
            ("section", "aar-kind-section"),
            ("station", "aar-kind-station"),
            ("buoy", "aar-kind-buoy"),
            ("micro_station", "aar-kind-micro"),
        ];
        self.looked_up(WORDS, kind).unwrap_or_else(|| kind.replace('_', " "))
    }

    /// The Chinese of a script's objective, target or critical task, by id.
    fn objective(&self, id: &str) -> Option<&tripoint_sim::drill::Objective> {
        self.drill.objectives.iter().find(|o| o.id == id)
    }

    fn target(&self, id: &str) -> Option<&tripoint_sim::drill::Target> {
        self.drill.targets.iter().find(|t| t.id == id)
    }

    fn task_title(&self, target: &str, title: &str) -> String {
        let zh = self
            .target(target)
            .and_then(|t| t.tasks.iter().find(|task| task.title == title))
            .map_or("", |task| task.title_zh.as_str());
        self.pick(title, zh).to_string()
    }

    fn inject(&self, number: &str) -> Option<&tripoint_sim::drill::Inject> {
        self.drill.injects.iter().find(|i| i.number == number)
    }

    /// A word the report takes from the simulation (`travel time`, `planning`, `ad hoc`)
    /// in this language: its message, or the word itself in English.
    fn word(&self, english: &str, key: &str) -> String {
        match self.lang {
            Lang::En => english.to_string(),
            Lang::ZhCn => self.t(key),
        }
    }

    fn cause(&self, kind: CauseKind) -> String {
        let key = match kind {
            CauseKind::NotTasked => "aar-cause-not_tasked",
            CauseKind::ScheduledLate => "aar-cause-scheduled_late",
            CauseKind::NoTeamFree => "aar-cause-no_team_free",
            CauseKind::TravelTime => "aar-cause-travel_time",
            CauseKind::WrongKit => "aar-cause-wrong_kit",
            CauseKind::WrongMeans => "aar-cause-wrong_means",
            CauseKind::NoMutualAid => "aar-cause-no_mutual_aid",
            CauseKind::LaboratoryTurnaround => "aar-cause-laboratory",
            CauseKind::LateNotification => "aar-cause-late_notification",
            CauseKind::LateDiscovery => "aar-cause-late_discovery",
            CauseKind::SlowProcedure => "aar-cause-slow_procedure",
            CauseKind::NotDelivered => "aar-cause-not_delivered",
        };
        self.word(kind.label(), key)
    }

    fn element(&self, element: Element) -> String {
        let key = match element {
            Element::Planning => "aar-element-planning",
            Element::Organisation => "aar-element-organisation",
            Element::Equipment => "aar-element-equipment",
            Element::Training => "aar-element-training",
            Element::Exercise => "aar-element-exercise",
        };
        self.word(element.label(), key)
    }

    fn exercise_type(&self, kind: &str) -> String {
        const WORDS: &[(&str, &str)] = &[
            ("tabletop", "aar-type-tabletop"),
            ("drill", "aar-type-drill"),
            ("functional", "aar-type-functional"),
            ("full-scale", "aar-type-full_scale"),
        ];
        self.word_of(WORDS, kind)
    }

    fn inject_kind(&self, kind: &str) -> String {
        const WORDS: &[(&str, &str)] = &[
            ("timeline", "aar-inject-timeline"),
            ("contingency (fired)", "aar-inject-fired"),
            ("contingency (not needed)", "aar-inject-not_needed"),
            ("contingency (after the end)", "aar-inject-after_end"),
            ("ad hoc", "aar-inject-adhoc"),
        ];
        self.word_of(WORDS, kind)
    }

    /// The message of `value` in a table of (value, message id), if it is there.
    fn looked_up(&self, table: &[(&str, &str)], value: &str) -> Option<String> {
        table.iter().find(|(v, _)| *v == value).map(|(_, key)| self.t(key))
    }

    /// A word the simulation writes, by a table: itself in English (and where the table
    /// does not have it), its message in Chinese.
    fn word_of(&self, table: &[(&str, &str)], value: &str) -> String {
        match table.iter().find(|(v, _)| *v == value) {
            Some((_, key)) => self.word(value, key),
            None => value.to_string(),
        }
    }

    /// What an inject expects of its players, in Chinese.
    fn expectation(&self, e: &Expectation) -> String {
        let s = &self.drill.scenario;
        match *e {
            Expectation::Acknowledge => self.t("aar-expect-acknowledge"),
            Expectation::Notify { to } => self.t_args(
                "aar-expect-notify",
                &[("to", self.name(&s.jurisdictions[to].id).into())],
            ),
            Expectation::Sample { point } => {
                self.t_args("aar-expect-sample", &[("point", self.name(&s.points[point].id).into())])
            }
            Expectation::MediaStatement => self.t("aar-expect-media"),
            Expectation::IntakeAdvice { point } => {
                self.t_args("aar-expect-intake", &[("point", self.name(&s.points[point].id).into())])
            }
        }
    }

    /// A sentence of the evaluation in this language.
    fn text(&self, text: &Text) -> String {
        let args: Vec<(&str, FluentValue<'_>)> = text
            .args
            .iter()
            .map(|(name, arg)| (*name, FluentValue::from(self.arg(arg))))
            .collect();
        self.t_args(text.id, &args)
    }

    fn arg(&self, arg: &Arg) -> String {
        match arg {
            Arg::Plain(text) => text.clone(),
            Arg::Name(id) => self.name(id),
            Arg::Incident(id) => self.incident_id(id),
            Arg::IncidentName(id) => match self.lang {
                Lang::En => self
                    .drill
                    .scenario
                    .incidents
                    .iter()
                    .find(|i| &i.id == id)
                    .map_or_else(|| id.clone(), |i| i.name.clone()),
                Lang::ZhCn => self.incident_id(id),
            },
            Arg::Seat(seat) => match self.lang {
                Lang::En => seat.clone(),
                Lang::ZhCn => seat_name(self, seat),
            },
            Arg::Team(Some(id)) => self.name(id),
            Arg::Team(None) => self.t("ev-team-entered"),
            Arg::KnownBy(by) if by.is_empty() => String::new(),
            Arg::KnownBy(by) => self.known_by(Some(by)),
            Arg::Means(means) => match *means {
                "boat" => self.t("means-boat"),
                "drone" => self.t("means-drone"),
                "road" => self.t("means-road"),
                "mobile_laboratory" => self.t("means-mobile_laboratory"),
                other => other.replace('_', " "),
            },
            Arg::Span(seconds) => self.span(*seconds),
            Arg::Authored { text, zh } => self.pick(text, zh).to_string(),
            Arg::Names(ids) => {
                let names: Vec<String> = ids.iter().map(|id| self.name(id)).collect();
                names.join(match self.lang {
                    Lang::En => ", ",
                    Lang::ZhCn => "、",
                })
            }
            Arg::Seats(seats) => match self.lang {
                Lang::En => seats.join(", "),
                Lang::ZhCn => {
                    let names: Vec<String> = seats.iter().map(|seat| seat_name(self, seat)).collect();
                    names.join("、")
                }
            },
            // English writes a policy as the action log always has, its variant's name in
            // lower case (`pooleddue`).
            Arg::Policy(policy) => match self.lang {
                Lang::En => policy.replace('_', ""),
                Lang::ZhCn => self.policy(policy),
            },
            Arg::Text(inner) => self.text(inner),
            Arg::Empty => String::new(),
        }
    }

    /// A strength or an area for improvement: the task, its rating if not P, the evidence.
    fn finding(&self, finding: &Finding) -> String {
        let task = self.task_title(&finding.target, &finding.task);
        let evidence = self.text(&finding.evidence);
        if finding.rating == Rating::P {
            return self.t_args(
                "finding-strength",
                &[("task", task.into()), ("evidence", evidence.into())],
            );
        }
        let rating = match self.lang {
            Lang::En => format!("{:?}", finding.rating),
            Lang::ZhCn => self.rating_word(finding.rating),
        };
        self.t_args(
            "finding-area",
            &[
                ("task", task.into()),
                ("rating", rating.into()),
                ("evidence", evidence.into()),
            ],
        )
    }

    /// The timeline's `who`: a seat, `inject N` or the controller.
    fn who(&self, who: &str) -> String {
        if self.lang == Lang::En {
            return who.to_string();
        }
        match who.strip_prefix("inject ") {
            Some(number) => self.t_args("aar-who-inject", &[("number", number.to_string().into())]),
            None => seat_name(self, who),
        }
    }
}

/// A sentence of the evaluation in `lang`, names as the language shows them.
pub fn text(lang: Lang, drill: &Drill, text: &Text) -> String {
    Words { lang, drill }.text(text)
}

/// A timeline entry's `who` (a seat, `inject N`, the controller) in `lang`.
pub fn who(lang: Lang, drill: &Drill, who: &str) -> String {
    Words { lang, drill }.who(who)
}

/// Writes the report into `dir` (created if needed) in `lang`; returns the files written.
/// `report.json` is the same in every language: the simulation's data.
pub fn write(dir: &Path, lang: Lang, drill: &Drill, report: &DrillReport) -> anyhow::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut files = Vec::new();
    let mut put = |name: &str, text: &str| -> anyhow::Result<()> {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        files.push(path);
        Ok(())
    };
    let charts = chart_files(lang, drill, report)?;
    for (name, svg) in &charts {
        put(name, svg)?;
    }
    let names: Vec<&str> = charts.iter().map(|(n, _)| n.as_str()).collect();
    put("report.md", &markdown(lang, drill, report, &names))?;
    let mut json = serde_json::to_string_pretty(report).context("serialising the report")?;
    json.push('\n');
    put("report.json", &json)?;
    Ok(files)
}

/// The report's charts: (file name, SVG text).
pub fn chart_files(lang: Lang, drill: &Drill, report: &DrillReport) -> anyhow::Result<Vec<(String, String)>> {
    let w = Words { lang, drill };
    let font = charts::font_family(lang);
    let clock_label = w.t("aar-chart-clock");
    let hours = (report.start_s as f64 / 3600.0, report.end_s as f64 / 3600.0);
    let mut files = Vec::new();
    for chart in &report.charts {
        let series: Vec<(f64, f64)> = chart
            .times_s
            .iter()
            .zip(&chart.mg_l)
            .filter(|(t, _)| **t >= report.start_s)
            .map(|(t, c)| (*t as f64 / 3600.0, *c))
            .collect();
        let markers: Vec<Marker> = chart
            .samples
            .iter()
            .map(|s| Marker {
                hours: s.taken_s as f64 / 3600.0,
                value: s.mg_l,
                over_limit: s.over_limit,
            })
            .collect();
        let point_name = match lang {
            Lang::En => chart.name.clone(),
            Lang::ZhCn => w.name(&chart.point),
        };
        let title = w.t_args(
            "aar-chart-concentration",
            &[
                ("name", point_name.into()),
                ("kind", w.point_kind(&chart.kind).into()),
                ("jurisdiction", w.name(&chart.jurisdiction).into()),
                ("pollutant", w.name(&chart.pollutant).into()),
            ],
        );
        let svg = charts::series_chart(&SeriesChart {
            title: &title,
            y_label: &w.t_args(
                "aar-chart-concentration-axis",
                &[("pollutant", w.name(&chart.pollutant).into())],
            ),
            x_label: &clock_label,
            series: &series,
            series_label: &w.t("aar-chart-truth"),
            limit: chart.limit_mg_l,
            limit_label: &w.t_args(
                "aar-chart-limit",
                &[("limit", format!("{:.4}", chart.limit_mg_l).into())],
            ),
            within_label: &w.t("aar-chart-sample-within"),
            over_label: &w.t("aar-chart-sample-over"),
            markers: &markers,
            hours,
            font,
        })?;
        files.push((format!("concentration-{}-{}.svg", chart.point, chart.pollutant), svg));
    }
    let rows: Vec<String> = report
        .team_timelines
        .iter()
        .map(|t| {
            w.t_args(
                "aar-chart-team-row",
                &[
                    ("team", w.name(&t.team).into()),
                    ("jurisdiction", w.name(&t.jurisdiction).into()),
                ],
            )
        })
        .collect();
    let (travel, sampling, out) = (
        w.t("aar-chart-travel"),
        w.t("aar-chart-sampling"),
        w.t("aar-chart-out-of-service"),
    );
    let kinds: [(&str, RGBColor); 3] = [
        (&travel, RGBColor(70, 130, 180)),
        (&sampling, RGBColor(60, 170, 90)),
        (&out, RGBColor(200, 60, 60)),
    ];
    let bars: Vec<Bar> = report
        .team_timelines
        .iter()
        .enumerate()
        .flat_map(|(row, t)| {
            t.segments.iter().map(move |s| Bar {
                row,
                from_hours: s.from_s as f64 / 3600.0,
                to_hours: s.to_s.max(s.from_s + 60) as f64 / 3600.0,
                kind: match s.kind.as_str() {
                    "travel" => 0,
                    "sampling" => 1,
                    _ => 2,
                },
            })
        })
        .collect();
    files.push((
        "team-timeline.svg".to_string(),
        charts::timeline_chart(&Timeline {
            title: &w.t("aar-chart-teams-title"),
            x_label: &clock_label,
            rows: &rows,
            bars: &bars,
            kinds: &kinds,
            hours,
            font,
        })?,
    ));
    let served: Vec<_> = report
        .response_times
        .iter()
        .filter(|r| r.tasks_served + r.tasks_missed > 0)
        .collect();
    let groups: Vec<String> = served.iter().map(|r| w.name(&r.jurisdiction)).collect();
    let minutes = |f: fn(&tripoint_sim::drill::evaluate::JurisdictionTimes) -> Option<i64>| -> Vec<Option<f64>> {
        served.iter().map(|r| f(r).map(|s| s as f64 / 60.0)).collect()
    };
    let (median, p90, longest) = (w.t("aar-chart-median"), w.t("aar-chart-p90"), w.t("aar-chart-longest"));
    files.push((
        "response-times.svg".to_string(),
        charts::grouped_bars(&GroupedBars {
            title: &w.t("aar-chart-response-title"),
            y_label: &w.t("aar-chart-minutes"),
            groups: &groups,
            series: &[
                (&median, RGBColor(70, 130, 180), minutes(|r| r.response_p50_s)),
                (&p90, RGBColor(240, 160, 40), minutes(|r| r.response_p90_s)),
                (&longest, RGBColor(200, 60, 60), minutes(|r| r.response_max_s)),
            ],
            font,
        })?,
    ));
    Ok(files)
}

/// What `tripoint drill --policy factorial` prints: the drill under each policy of
/// `policies` (pooling × ranking), one column each: the score and every target's rating.
pub fn factorial(lang: Lang, drill: &Drill, policies: &[&str], reports: &[DrillReport]) -> String {
    use crate::i18n::{pad_left, pad_right, truncate, width};
    let w = Words { lang, drill };
    let mut out = String::new();
    let title = w.t_args(
        "drill-factorial-title",
        &[
            ("drill", w.pick(&reports[0].drill, &drill.name_zh).to_string().into()),
            ("seed", reports[0].seed.to_string().into()),
        ],
    );
    let _ = writeln!(out, "{title}\n");
    let names: Vec<String> = policies.iter().map(|p| w.policy(p)).collect();
    let column = names.iter().map(|n| width(n)).max().unwrap_or(0).max(13);
    let titles: Vec<Vec<String>> = reports[0]
        .objectives
        .iter()
        .map(|o| {
            o.targets
                .iter()
                .map(|t| {
                    let zh = w.target(&t.id).map_or("", |t| t.title_zh.as_str());
                    format!("{} {}", t.id, w.pick(&t.title, zh))
                })
                .collect()
        })
        .collect();
    // English titles are cut at 44 columns, as always; Chinese ones are shorter and whole
    // up to 64.
    let label = match lang {
        Lang::En => 44,
        _ => titles
            .iter()
            .flatten()
            .map(|t| width(t))
            .max()
            .unwrap_or(0)
            .clamp(44, 64),
    };
    let _ = write!(out, "{}", " ".repeat(label));
    for name in &names {
        let _ = write!(out, " {}", pad_left(name, column));
    }
    let _ = writeln!(out);
    let _ = write!(out, "{}", pad_right(&w.t("drill-factorial-score"), label));
    for r in reports {
        let _ = write!(out, " {}", pad_left(&format!("{:.1}", r.score.points), column));
    }
    let _ = writeln!(out);
    for (o, titles) in titles.iter().enumerate() {
        for (t, title) in titles.iter().enumerate() {
            let _ = write!(out, "{}", pad_right(truncate(title, label), label));
            for r in reports {
                let rating = r.objectives[o].targets[t]
                    .rating
                    .map_or_else(|| w.t("drill-summary-na"), |x| format!("{x:?}"));
                let _ = write!(out, " {}", pad_left(&rating, column));
            }
            let _ = writeln!(out);
        }
    }
    out
}

/// What `tripoint drill` prints: the drill and its score, the intakes reached over the
/// limit and how early their owners were advised, then every objective, target and
/// critical task with its rating and evidence, in `lang` (ids in English, names in
/// Chinese).
pub fn summary(lang: Lang, drill: &Drill, r: &DrillReport) -> String {
    let w = Words { lang, drill };
    let named = |id: &str| match lang {
        Lang::En => id.to_string(),
        _ => w.name(id),
    };
    let mut out = String::new();
    let title = w.t_args(
        "drill-summary-title",
        &[
            ("drill", w.pick(&r.drill, &drill.name_zh).to_string().into()),
            ("policy", w.policy(&r.policy).into()),
            ("seed", r.seed.to_string().into()),
        ],
    );
    let score = w.t_args(
        "drill-summary-score",
        &[
            ("points", format!("{:.1}", r.score.points).into()),
            ("grade", w.grade(&r.score.grade).into()),
            ("p", r.score.counts.p.to_string().into()),
            ("s", r.score.counts.s.to_string().into()),
            ("m", r.score.counts.m.to_string().into()),
            ("u", r.score.counts.u.to_string().into()),
            ("na", r.score.targets_not_applicable.to_string().into()),
        ],
    );
    let _ = writeln!(out, "{title}\n{score}");
    for o in &r.intake_outcomes {
        let warning = match o.lead_s {
            Some(lead) if lead >= 0 => w.t_args("drill-summary-before", &[("span", w.span(lead).into())]),
            Some(lead) => w.t_args("drill-summary-late", &[("span", w.span(-lead).into())]),
            None => w.t("drill-summary-never"),
        };
        let line = w.t_args(
            "drill-summary-intake",
            &[
                ("intake", named(&o.intake).into()),
                ("jurisdiction", named(&o.jurisdiction).into()),
                ("pollutant", named(&o.pollutant).into()),
                ("from", clock(o.over_limit_s).into()),
                ("times", format!("{:.1}", o.peak_times_limit).into()),
                ("warning", warning.into()),
            ],
        );
        let _ = writeln!(out, "{line}");
    }
    if r.intake_outcomes.is_empty() {
        let _ = writeln!(out, "{}", w.t("drill-summary-no-intake"));
    }
    let colon = w.pick(": ", "：");
    let rating = |r: Option<Rating>| r.map_or_else(|| w.t("drill-summary-na"), |r| format!("{r:?}"));
    for objective in &r.objectives {
        let title = w.pick(
            &objective.title,
            w.objective(&objective.id).map_or("", |o| o.title_zh.as_str()),
        );
        let _ = writeln!(out, "{} {title}", objective.id);
        for target in &objective.targets {
            let title = w.pick(&target.title, w.target(&target.id).map_or("", |t| t.title_zh.as_str()));
            let _ = writeln!(
                out,
                "  {} {} {title}",
                crate::i18n::pad_right(&rating(target.rating), 3),
                target.id
            );
            for task in &target.tasks {
                let _ = writeln!(
                    out,
                    "      {} {}{colon}{}",
                    crate::i18n::pad_right(&rating(task.rating), 3),
                    w.task_title(&target.id, &task.title),
                    w.text(&task.evidence)
                );
            }
        }
    }
    out
}

/// The outcome that matters, first: which intakes the true plume reached over the limit,
/// when, whether their owners were advised to close them before, and by how much.
pub fn outcome(lang: Lang, drill: &Drill, r: &DrillReport) -> String {
    let w = Words { lang, drill };
    let mut md = String::new();
    let _ = writeln!(md, "{}\n", w.heading(2, "aar-outcome-heading"));
    if r.intake_outcomes.is_empty() {
        let _ = writeln!(md, "{}\n", w.t("aar-outcome-none"));
        return md;
    }
    let n = r.intake_outcomes.len();
    let warned = r.intake_outcomes.iter().filter(|o| o.warned_before).count();
    let warned_text = match warned {
        0 => w.t("aar-warned-none"),
        k if k == n => w.t("aar-warned-all"),
        k => w.t_args("aar-warned-some", &[("count", k.into())]),
    };
    let summary = w.t_args(
        "aar-outcome-summary",
        &[("count", n.into()), ("warned", warned_text.into())],
    );
    let _ = writeln!(md, "{summary}\n");
    let _ = writeln!(md, "{}", w.header("aar-outcome-header"));
    for o in &r.intake_outcomes {
        let warning = match o.lead_s {
            Some(lead) if lead >= 0 => w.t_args("aar-warning-before", &[("span", w.span(lead).into())]),
            Some(lead) => w.t_args("aar-warning-late", &[("span", w.span(-lead).into())]),
            None => w.t("aar-warning-never"),
        };
        let intake = match lang {
            Lang::En => w.t_args(
                "aar-intake",
                &[
                    ("name", cell(&o.name).into()),
                    ("intake", o.intake.clone().into()),
                    ("jurisdiction", o.jurisdiction.clone().into()),
                ],
            ),
            // The Chinese name with its jurisdiction's: the id says nothing more in Chinese.
            Lang::ZhCn => format!("{}（{}）", w.name(&o.intake), w.name(&o.jurisdiction)),
        };
        let peak = w.t_args(
            "aar-peak",
            &[
                ("mg_l", format!("{:.4}", o.peak_mg_l).into()),
                ("at", clock(o.peak_s).into()),
            ],
        );
        let times = w.t_args(
            "aar-peak-times",
            &[
                ("times", format!("{:.1}", o.peak_times_limit).into()),
                ("limit", format!("{:.4}", o.limit_mg_l).into()),
            ],
        );
        let _ = writeln!(
            md,
            "| {intake} | {} | {} | {peak} | {times} | {} | {warning} | {} |",
            w.t_args(
                "aar-incident-pollutant",
                &[
                    ("incident", w.incident_id(&o.incident).into()),
                    ("pollutant", w.name(&o.pollutant).into())
                ]
            ),
            clock(o.over_limit_s),
            opt_clock(o.advised_s),
            opt_clock(o.confirmed_s)
        );
    }
    let _ = writeln!(md);
    md
}

/// The after-action report in Markdown.
pub fn markdown(lang: Lang, drill: &Drill, r: &DrillReport, chart_names: &[&str]) -> String {
    let w = Words { lang, drill };
    let mut md = String::new();
    let _ = writeln!(
        md,
        "{}\n\n## {}\n",
        w.heading(1, "aar-title"),
        w.pick(&r.drill, &drill.name_zh)
    );
    let _ = writeln!(md, "{}\n", w.pick(&r.description, &drill.description_zh));
    md.push_str(&outcome(lang, drill, r));
    let _ = writeln!(md, "{}\n", w.heading(2, "aar-overview"));
    let _ = writeln!(md, "| | |\n|---|---|");
    let row = |md: &mut String, key: &str, value: &str| {
        let _ = writeln!(md, "| {} | {value} |", w.t(key));
    };
    row(&mut md, "aar-exercise-type", &w.exercise_type(&r.exercise_type));
    row(&mut md, "aar-date", &r.date);
    if !r.sponsor.is_empty() {
        row(&mut md, "aar-sponsor", &cell(w.pick(&r.sponsor, &drill.sponsor_zh)));
    }
    let time = w.t_args(
        "aar-exercise-time-value",
        &[("from", clock(r.start_s).into()), ("to", clock(r.end_s).into())],
    );
    row(&mut md, "aar-exercise-time", &time);
    row(&mut md, "aar-scenario", &r.scenario);
    let players = w.t_args("aar-players-value", &[("policy", w.policy(&r.policy).into())]);
    row(&mut md, "aar-players", &players);
    row(&mut md, "aar-seed", &r.seed.to_string());
    let score = w.t_args(
        "aar-score-value",
        &[
            ("points", format!("{:.1}", r.score.points).into()),
            ("grade", w.grade(&r.score.grade).into()),
            ("p", r.score.counts.p.into()),
            ("s", r.score.counts.s.into()),
            ("m", r.score.counts.m.into()),
            ("u", r.score.counts.u.into()),
            ("na", r.score.targets_not_applicable.into()),
        ],
    );
    row(&mut md, "aar-score", &score);
    let _ = writeln!(md);
    if !r.contacts.is_empty() {
        let _ = writeln!(
            md,
            "{}\n\n{}",
            w.heading(3, "aar-contacts"),
            w.header("aar-contacts-header")
        );
        for c in &r.contacts {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                cell(w.pick(&c.role, &c.role_zh)),
                cell(w.pick(&c.name, &c.name_zh)),
                cell(w.pick(&c.agency, &c.agency_zh)),
                cell(w.pick(&c.reach, &c.reach_zh))
            );
        }
        let _ = writeln!(md);
    }
    let _ = writeln!(
        md,
        "{}\n\n{}",
        w.heading(3, "aar-agencies"),
        w.header("aar-agencies-header")
    );
    for p in r.participants.iter().filter(|p| !p.teams.is_empty()) {
        let (agency, jurisdiction) = match lang {
            Lang::En => (p.agency.clone(), p.name.clone()),
            Lang::ZhCn => {
                let zh = drill
                    .agencies
                    .iter()
                    .find(|(j, _, _)| drill.scenario.jurisdictions[*j].id == p.jurisdiction)
                    .map_or("", |(_, _, zh)| zh.as_str());
                let jurisdiction = w.name(&p.jurisdiction);
                let agency = if zh.is_empty() && p.agency == p.name {
                    jurisdiction.clone()
                } else {
                    w.pick(&p.agency, zh).to_string()
                };
                (agency, jurisdiction)
            }
        };
        let teams: Vec<String> = p.teams.iter().map(|t| w.name(t)).collect();
        let _ = writeln!(md, "| {} | {} | {} |", cell(&agency), jurisdiction, teams.join(", "));
    }
    let _ = writeln!(md, "\n{}\n", w.heading(3, "aar-truth"));
    let _ = writeln!(md, "{}", w.header("aar-truth-header"));
    for i in &r.incidents {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {:.0} kg | {:.0} kg | {} | {} | {} |",
            cell(&w.incident(&i.id, &i.name)),
            w.name(&i.jurisdiction),
            w.name(&i.pollutant),
            i.mass_kg,
            i.reported_mass_kg,
            clock(i.start_s),
            opt_clock(i.discovered_s),
            w.known_by(i.discovered_by.as_deref())
        );
    }
    let _ = writeln!(md, "\n{}\n", w.heading(2, "aar-objectives"));
    let _ = writeln!(md, "{}\n", w.t("aar-ratings-explained"));
    let _ = writeln!(md, "{}", w.header("aar-objectives-header"));
    let objective_text = |id: &str, title: &str, capability: &str| -> (String, String) {
        let o = w.objective(id);
        (
            w.pick(title, o.map_or("", |o| o.title_zh.as_str())).to_string(),
            w.pick(capability, o.map_or("", |o| o.capability_zh.as_str()))
                .to_string(),
        )
    };
    let target_title = |id: &str, title: &str| -> String {
        w.pick(title, w.target(id).map_or("", |t| t.title_zh.as_str()))
            .to_string()
    };
    // An owner is a jurisdiction's English name or the Executive Committee.
    let owner = |owner: &str| -> String {
        match lang {
            Lang::En => owner.to_string(),
            Lang::ZhCn => match drill.scenario.jurisdictions.iter().find(|j| j.name == owner) {
                Some(j) => w.name(&j.id),
                None => w.t("seat-command"),
            },
        }
    };
    for o in &r.objectives {
        let (title, capability) = objective_text(&o.id, &o.title, &o.capability);
        for t in &o.targets {
            let _ = writeln!(
                md,
                "| {} {} | {} | {} {} | {} | {} |",
                o.id,
                cell(&title),
                cell(&capability),
                t.id,
                cell(&target_title(&t.id, &t.title)),
                t.weight,
                w.rating(t.rating)
            );
        }
    }
    let _ = writeln!(md, "\n{}\n", w.heading(2, "aar-analysis"));
    for o in &r.objectives {
        let (title, capability) = objective_text(&o.id, &o.title, &o.capability);
        let heading = w.t_args(
            "aar-objective-heading",
            &[
                ("id", o.id.clone().into()),
                ("title", title.into()),
                ("capability", capability.into()),
                ("rating", w.rating(o.rating).into()),
            ],
        );
        let _ = writeln!(md, "### {heading}\n");
        for t in &o.targets {
            let heading = w.t_args(
                "aar-target-heading",
                &[
                    ("id", t.id.clone().into()),
                    ("title", target_title(&t.id, &t.title).into()),
                    ("rating", w.rating(t.rating).into()),
                    ("owner", owner(&t.owner).into()),
                ],
            );
            let _ = writeln!(md, "{heading}\n");
            let _ = writeln!(md, "{}", w.header("aar-tasks-header"));
            for task in &t.tasks {
                let _ = writeln!(
                    md,
                    "| {} | {} | {} |",
                    cell(&w.task_title(&t.id, &task.title)),
                    w.rating(task.rating),
                    cell(&w.text(&task.evidence))
                );
            }
            let _ = writeln!(md);
        }
        let _ = writeln!(md, "{}\n", w.t("aar-strengths"));
        if o.strengths.is_empty() {
            let _ = writeln!(md, "- {}", w.t("aar-none-observed"));
        }
        for s in &o.strengths {
            let _ = writeln!(md, "- {}", w.finding(s));
        }
        let _ = writeln!(md, "\n{}\n", w.t("aar-areas"));
        if o.areas_for_improvement.is_empty() {
            let _ = writeln!(md, "- {}", w.t("aar-none-observed"));
        }
        for a in &o.areas_for_improvement {
            let _ = writeln!(md, "- {}", w.finding(a));
        }
        let _ = writeln!(md);
    }
    let _ = writeln!(md, "{}\n", w.heading(2, "aar-concentrations"));
    let _ = writeln!(md, "{}\n", w.t("aar-concentrations-key"));
    for name in chart_names.iter().filter(|n| n.starts_with("concentration-")) {
        let _ = writeln!(md, "![{name}]({name})\n");
    }
    let _ = writeln!(
        md,
        "{}\n\n![{}](team-timeline.svg)\n",
        w.heading(2, "aar-teams"),
        w.t("aar-team-timeline-alt")
    );
    let _ = writeln!(md, "{}", w.header("aar-teams-header"));
    for t in &r.response.teams {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {:.0} % |",
            w.name(&t.team),
            w.name(&t.jurisdiction),
            t.samples,
            w.span(t.busy_s),
            t.utilisation * 100.0
        );
    }
    let _ = writeln!(
        md,
        "\n{}\n\n![{}](response-times.svg)\n",
        w.heading(3, "aar-response-times"),
        w.t("aar-response-times-alt")
    );
    let _ = writeln!(md, "{}", w.header("aar-response-times-header"));
    let span = |s: Option<i64>| s.map_or("—".to_string(), |s| w.span(s));
    for j in r.response_times.iter().filter(|j| j.tasks_served + j.tasks_missed > 0) {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            w.name(&j.jurisdiction),
            j.tasks_served,
            j.tasks_missed,
            j.late,
            span(j.response_p50_s),
            span(j.response_p90_s),
            span(j.response_max_s)
        );
    }
    let _ = writeln!(md, "\n{}\n", w.heading(2, "aar-injects"));
    let _ = writeln!(md, "{}", w.header("aar-injects-header"));
    for i in &r.injects {
        let acks: Vec<String> = i.acknowledged_s.iter().map(|a| opt_clock(*a)).collect();
        let script = w.inject(&i.number);
        let zh = |f: fn(&tripoint_sim::drill::Inject) -> &str| script.map_or("", f);
        let expected: Vec<String> = match (lang, script) {
            (Lang::ZhCn, Some(script)) => script.expected.iter().map(|e| w.expectation(e)).collect(),
            _ => i.expected.clone(),
        };
        let to: Vec<String> = match lang {
            Lang::En => i.to.clone(),
            Lang::ZhCn => i.to.iter().map(|seat| seat_name(&w, seat)).collect(),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            i.number,
            w.inject_kind(&i.kind),
            opt_clock(i.scheduled_s),
            opt_clock(i.delivered_s),
            cell(w.pick(&i.from, zh(|s| &s.from_zh))),
            to.join(", "),
            cell(w.pick(&i.channel, zh(|s| &s.channel_zh))),
            cell(w.pick(&i.message, zh(|s| &s.message_zh))),
            expected.join(", "),
            acks.join(", ")
        );
    }
    let _ = writeln!(
        md,
        "\n{}\n\n{}",
        w.heading(2, "aar-timeline"),
        w.header("aar-timeline-header")
    );
    for e in &r.timeline {
        let _ = writeln!(
            md,
            "| {} | {} | {} |",
            clock(e.at_s),
            cell(&w.who(&e.who)),
            cell(&timeline_event(&w, e))
        );
    }
    if !r.observations.is_empty() {
        let _ = writeln!(
            md,
            "\n{}\n\n{}",
            w.heading(2, "aar-observations"),
            w.header("aar-observations-header")
        );
        for o in &r.observations {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                clock(o.at_s),
                cell(&o.by),
                cell(o.target.as_deref().unwrap_or("—")),
                cell(&o.text)
            );
        }
    }
    let _ = writeln!(md, "\n{}\n", w.heading(2, "aar-improvement-plan"));
    if r.improvement_plan.is_empty() {
        let _ = writeln!(md, "{}", w.t("aar-improvement-none"));
    } else {
        let _ = writeln!(md, "{}\n", w.t("aar-improvement-explained"));
        let _ = writeln!(md, "{}", w.header("aar-improvement-header"));
        for item in &r.improvement_plan {
            let target = w.target(&item.target);
            let capability = target
                .and_then(|t| drill.objectives.get(t.objective))
                .map_or("", |o| o.capability_zh.as_str());
            let suggested = target.map_or("", |t| t.corrective_zh.as_str());
            let rating = match lang {
                Lang::En => format!("{:?}", item.rating),
                Lang::ZhCn => w.rating_word(item.rating),
            };
            let _ = writeln!(
                md,
                "| {} | {} {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                cell(w.pick(&item.capability, capability)),
                item.target,
                cell(&w.task_title(&item.target, &item.task)),
                rating,
                cell(&w.text(&item.issue)),
                w.t_args(
                    "aar-cause-cell",
                    &[
                        ("cause", w.cause(item.cause.kind).into()),
                        ("evidence", cell(&w.text(&item.cause.evidence)).into())
                    ]
                ),
                cell(&w.text(&item.corrective_action)),
                w.element(item.element),
                cell(w.pick(&item.suggested, suggested)),
                cell(&owner(&item.owner)),
                item.start,
                item.due
            );
        }
    }
    md
}

/// A timeline entry's event: English is the simulation's text, byte for byte; another
/// language renders the event's data.
fn timeline_event(w: &Words<'_>, entry: &TimelineEntry) -> String {
    match (w.lang, &entry.event) {
        (Lang::ZhCn, Some(event)) => w.text(event),
        _ => entry.what.clone(),
    }
}

/// A seat of an inject's `to` list (`qingpu`, `command`) in Chinese.
fn seat_name(w: &Words<'_>, seat: &str) -> String {
    match seat {
        "command" => w.t("seat-command"),
        "controller" => w.t("seat-controller"),
        other => w.name(other),
    }
}

#[cfg(test)]
mod tests;
