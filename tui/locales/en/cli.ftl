# The command line (tui/src/main.rs and the commands): what precedes an error, and the
# messages every command shares.

error-prefix = error: { $message }
internal-error-prefix = internal error: { $message }
no-terminal =
    the console needs a terminal (stdin and stdout are not one). Headless commands:
      tripoint drill two-incidents --report out/   run a drill and write its after-action report
      tripoint run [SCENARIO] [--policy county]    run a scenario's incidents and print the measures
      tripoint forecast [SCENARIO]                 forecast a release
      tripoint replay JOURNAL                      re-run a journal and check it
      tripoint --help                              everything else

## Express reports (快报), `run --plans` and `drill --plans`: express-INCIDENT.md

express-title = # Express reports (应急监测快报) — { $incident }
express-heading = ## No. { $number } — { $at } (response level { $level })
express-counts = - { $new } new result(s) of { $pollutant }; { $pending } sample(s) awaiting analysis; { $inconclusive } not conclusive.
express-none-over = - No new result over the limit.
express-over = - **{ $point }**: { $mg_l } mg/L, { $times } × the limit (超标 { $exceedance } 倍).
express-intake = - Intake { $point }: latest conclusive result { $mg_l } mg/L, sampled { $at }.
express-intake-none = - Intake { $point }: no conclusive result yet.

# tripoint export geojson / import geojson (docs/gis.md).
export-geojson-written = { $count } GeoJSON layers written to { $dir } (WGS84; plume at { $at }).
import-geojson-written = Scenario skeleton written to { $file }: replace every FILL IN placeholder, then run `tripoint check { $file }`.

# Progress lines on standard error (identify, plan evaluate).
progress-unit-responses = unit responses: { $runs } transport runs, { $cache }
progress-unit-responses-timed = unit responses: { $runs } transport runs, { $cache }, in { $seconds } s
progress-no-cache = no cache
progress-cache-read = { $hits } read from the cache in { $dir }
progress-cache-rejected = {" "}({ $count } unreadable entries made again)
progress-trials = trials: { $done }/{ $total } ({ $seconds } s)
progress-trials-rate = { $trials } trials × { $policies } { $policies ->
    [one] policy
   *[other] policies
} in { $seconds } s: { $rate } trials/s ({ $threads } threads)
