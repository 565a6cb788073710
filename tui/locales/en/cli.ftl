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
progress-cache-over-bound = ; this run's own entries take { $own } GiB, more than the cache keeps ({ $max } GiB): they were kept and every older entry removed
progress-trials = trials: { $done }/{ $total } ({ $seconds } s)
progress-trials-rate = { $trials } trials × { $policies } { $policies ->
    [one] policy
   *[other] policies
} in { $seconds } s: { $rate } trials/s ({ $threads } threads)

## The exercise server's own answers to its seats (tui/src/serve/): refused hellos,
## errors, clock controls and refused actions, in the language the seat's hello names.

srv-unknown-lang = language { $lang } is not spoken here (this server speaks en and zh-CN)
srv-no-hello = no hello within { $seconds } s
srv-unreadable-frame = unreadable frame: { $problem }
srv-protocol = protocol version { $protocol } is not spoken here (this server speaks { $speaks })
srv-hello-first = the first message must be a hello
srv-not-hello = not a hello: { $problem }
srv-unknown-seat = unknown seat or wrong token
srv-shutting-down = the server is shutting down
srv-hello-again = hello again: this connection is already welcomed
srv-too-many-unreadable = more than { $max } unreadable messages
srv-unreadable-message = unreadable message: { $problem }
srv-too-many-actions = too many actions: at most { $rate } a second ({ $burst } at once)
srv-connected-elsewhere = the seat connected again elsewhere
srv-full = the server is full ({ $max } connections)
srv-json-syntax = JSON syntax error at line { $line } column { $column }
srv-json-eof = JSON ends early at line { $line } column { $column }
srv-json-io = the message could not be read
srv-json-missing-field = missing field `{ $field }` at line { $line } column { $column }
srv-json-unknown-field = unknown field `{ $field }` at line { $line } column { $column }
srv-json-unknown-variant = unknown value `{ $value }` at line { $line } column { $column }
srv-json-data = a field or value the protocol does not have at line { $line } column { $column }
srv-io-invalid-data = the frame is over the size limit or not valid
srv-io-eof = the connection ended inside a frame
srv-io-reset = the connection was reset
srv-io-timeout = reading timed out
srv-io-other = the frame could not be read
srv-full-retry = the server is full ({ $max } connections); try again in { $seconds } s
srv-id-not-new = action id { $id } is not new and not among the last { $kept } answered: the ids of a seat must increase (the last was { $highest })
srv-simulation-failed = the simulation failed: { $problem }
srv-not-handled = internal error: the action was not handled
srv-clock-controller = only a controller runs the clock
srv-ended = the exercise has ended
srv-pause-at-past = pause_at { $at }: not ahead of the exercise (it is at { $now } s, { $clock })
srv-paused = paused
srv-running = running
srv-speed = speed { $speed }
srv-pauses-at = pauses at { $at }

# The exercise server's own log on standard error, for its operator.
srvlog-waiting = { $drill }: { $seats } seats; the clock waits for a controller to start it (speed { $speed }); the board is at { $url }
srvlog-live = { $drill }: { $seats } seats; a live incident: the clock runs from { $start } (speed { $speed }); the board is at { $url }
srvlog-connected = { $seat } ({ $role }) connected
srvlog-disconnected = { $seat } disconnected
srvlog-stopping = stopping
srvlog-journal-closed = journal closed ({ $lines } lines)
srvlog-report-written = after-action report written to { $dir } ({ $files } files, { $observations } observations)
srvlog-refused-seat = refused seat { $seat }: unknown seat or wrong token
srvlog-action = { $seat } at { $clock }: { $what }
srvlog-recording = writing the exercise into { $db } as run { $run }
srvlog-insecure = warning: listening on { $addr } in plain TCP (--insecure-plain): tokens and the exercise cross the network unencrypted; use a trusted network only
srvlog-accept-failed = cannot accept a connection: { $problem }
srvlog-tls-failed = TLS handshake failed: { $problem }
srvlog-tls-timeout = no TLS handshake within { $seconds } s
srvlog-catch-up = the live clock catches up with the wall clock: { $from } → { $to }
srvlog-version = note: the journal was written by version { $journal }, this is { $this }
srvlog-ended = the exercise has ended at { $clock }
srvlog-simulation-stopped = error: the simulation stopped: { $problem }; the clock is paused
srvlog-action-failed = error: the simulation failed on an action of { $seat }: { $problem }
srvlog-not-handled = internal error: action { $id } of { $seat } was not handled
srvlog-journal-failed = error: cannot write the journal: { $problem }; the exercise goes on without one
srvlog-report-failed = error: cannot write the report into { $dir }: { $problem }
srvlog-journal-close-failed = error: cannot close the journal: { $problem }
srvlog-resume-version = note: { $journal }: written by version { $version }, this is { $this }; every line is checked
srvlog-resume-cut = note: { $journal }:{ $line }: the last line is cut in the middle (the server stopped while writing it): it is dropped, and the replay writes it again
srvlog-resume-closed = note: { $journal }: the journal was closed when its server stopped; its closing record is removed and the exercise goes on
srvlog-resumed = { $journal }: { $lines } lines replayed identically ({ $actions } actions of the seats); the exercise resumes paused at { $clock }
srvlog-resumed-again = { $journal }: { $lines } lines replayed identically ({ $actions } actions of the seats), { $again } written again after them; the exercise resumes paused at { $clock }
srv-closed-writing = closed while writing: { $problem }
srv-write-stalled = closed: a write did not drain in { $seconds } s (the client stopped reading)

# The emergency monitoring database's recorder (drills, the console, the server).
db-recorded = recorded as run { $run } in { $db } ({ $samples } samples, { $results } results, { $warnings } warnings)
db-written-again = the database { $db } is written again
db-write-failed = error: cannot write run { $run } to the database { $db }: { $problem }; the session goes on and writes it again at its next change
db-recorded-run = recorded as run { $run } in { $db } ({ $samples } samples, { $tasks } tasks)
db-recorded-drill = recorded as run { $run } in { $db } ({ $samples } samples, { $ratings } ratings)
db-upgraded = { $db }: schema upgraded to version { $version } ({ $engine } database)

# clap's usage errors, as written in Chinese (cli_error.rs; English sessions get clap's own).
cli-usage-invalid-value = invalid value '{ $value }' for '{ $arg }'
cli-usage-valid-values = ; possible values: { $values }
cli-usage-value-problem = invalid value '{ $value }' for '{ $arg }': { $problem }
cli-usage-unknown-argument = unexpected argument '{ $arg }' found
cli-usage-unknown-subcommand = unrecognized subcommand '{ $subcommand }'
cli-usage-missing = the following required arguments were not provided: { $args }
cli-usage-missing-subcommand = a subcommand is required
cli-usage-conflict = the argument '{ $arg }' cannot be used with '{ $other }'
cli-usage-value-count = '{ $arg }' takes another number of values ({ $actual } given)
cli-usage-no-equals = '{ $arg }' takes its value after '='
cli-usage-other = { $english }
cli-usage-suggest = tip: a similar one exists: '{ $suggested }'
cli-usage-usage = Usage: { $usage }
cli-usage-more = For more information, try '--help'.
cli-usage-not-integer = not a whole number
cli-usage-not-number = not a number

## What clap writes of its own in a command's `--help` (tui/src/cli_help.rs). The English
## help is clap's, from the doc comments; these are its words, for the Chinese to match.

help-heading-usage = Usage:{" "}
help-heading-commands = Commands:
help-heading-arguments = Arguments:
help-heading-options = Options:
help-value-command = COMMAND
help-value-options = [OPTIONS]
help-default = [default: { $value }]
help-possible-values = [possible values: { $values }]
help-possible-values-heading = Possible values:
help-list-separator = {", "}
help-flag-help = Print help
help-flag-help-more = Print help (see more with '--help')
help-flag-help-summary = Print help (see a summary with '-h')
help-flag-version = Print version
help-subcommand-help = Print this message or the help of the given subcommand(s)

## `tripoint drill --plan-edits`: what came of each edit of the file (tui/src/commands/drill.rs).
## The English table is written by the code as it always was; these are its words.

drill-plan-edits-heading = Plan edits from { $file }:
drill-plan-edit-line = line { $line }
drill-plan-edit-applied = applied: { $outcome }
drill-plan-edit-refused = REFUSED: { $outcome }
drill-plan-edit-not-made = REFUSED: the seat could not make it
tl-request-add = add { $point }
tl-request-remove = remove { $point }
tl-request-interval = interval { $point } every { $every } min
tl-request-mutual-aid = mutual aid at { $point }
tl-request-approve = approve r{ $revision }
tl-request-approve-current = approve the current revision

## A place typed in a form or on the command line that the scenario does not have
## (`LocationError` in sim/src/scenario/mod.rs, whose `Display` is this English).

tl-place-no-node = no node named "{ $node }"
tl-place-not-a-lake = "{ $node }" is not a lake: only lakes have cells
tl-place-no-such-cell = lake cell "{ $cell }" of "{ $lake }": give a number from 1 (inflow end) to { $cells } (outlet)
tl-place-no-reach = no reach named "{ $reach }"
tl-place-chainage-not-a-number = chainage "{ $chainage }" is not a number of metres
tl-place-chainage-outside = chainage { $chainage } m is outside reach "{ $reach }" (0 to { $length } m)
tl-place-reach-without-chainage = "{ $reach }" is a reach: give a chainage, e.g. { $reach }@1000
tl-place-unknown = no node, reach or point named "{ $place }"
cli-usage-unknown-language = "{ $value }": expected zh-CN or en

## `tripoint forecast` and `tripoint identify`: their flags' and the results file's
## problems (tui/src/commands/forecast.rs, identify.rs), and the output checks that every
## command shares (tui/src/input.rs). Exit code 2. The English is the former text.

arg-number-from-to = { $flag } { $value }: give a number from { $low } to { $high }
arg-give-from-to = { $flag } { $value }: give { $low } to { $high }
arg-choice-named = { $id } ({ $name })
arg-list-separator = {", "}
arg-output-folder-not-file = { $flag } { $path }: a folder, not a file
arg-output-no-folder = { $flag } { $path }: the folder { $folder } does not exist
arg-output-cannot-write = { $flag } { $path }: cannot be written: { $cause }
arg-output-file-not-folder = { $flag } { $path }: a file, not a folder
arg-output-cannot-create = { $flag } { $path }: cannot be created: { $cause }
fc-arg-flow-unknown = --flow: unknown regime "{ $regime }" (known: { $known })
fc-arg-hours = --hours must be positive and at most { $max }, got { $value }
fc-arg-needs-release = { $flag } describes a release: give --release too
fc-arg-release = --release: { $problem }
fc-arg-release-needs = --release needs { $flag }
fc-arg-pollutant-unknown = --pollutant: unknown pollutant "{ $pollutant }" (known: { $known })
fc-arg-mass = --mass-kg must be between { $low } and { $high } kg, got { $value }
fc-arg-duration = --duration-min must be from 0 (instantaneous) to { $max } (one year), got { $value }
fc-arg-flow-change-form = --flow-change: expected HH:MM=REGIME, got "{ $text }"
fc-arg-flow-change-unknown = --flow-change: unknown regime "{ $regime }" (known: { $known })
fc-arg-clock = { $flag }: expected HH:MM or `D2 08:00`, got "{ $text }"
fc-arg-members = --members: the ensemble needs from 1 to { $max } members, got { $value }
fc-arg-spread = --spread-{ $input }: the { $input } spread (a log-standard deviation) must be from 0 to { $max }, got { $value }
fc-error-no-release = nothing to forecast: the scenario has no release; give --release
fc-error-not-finite = the transport of { $pollutant } produced a number that is not finite (NaN or ∞): the release or the network is outside the range the model can represent
id-arg-error-absolute = --error-absolute { $value }: give a number above 0, up to 1e6 mg/L
id-arg-error-timing = --error-timing-min { $value }: give minutes from 0 to { $max }
id-arg-start-step = --start-step-min { $value }: give 1 to 1440 minutes
id-arg-durations = --durations-min: give minutes from 0 to { $max }, comma-separated
id-arg-sources = --sources { $value }: give 1 or 2
id-arg-flow-unknown = --flow "{ $regime }": no such regime (the scenario has { $known })
id-arg-nothing-detected = every result is below its detection limit: nothing was detected to trace back
id-arg-since-form = --since "{ $text }": give HH:MM or `D2 08:00`
id-arg-since-late = --since { $since }: after the first detection ({ $first }); a release must start before it is seen
id-results-empty = empty: expected a header line with the columns point,pollutant,taken_at,value_mg_l,detection_limit_mg_l
id-results-columns = line 1: the columns are "{ $found }"; expected { $expected }
id-results-line = line { $line }: { $problem }
id-results-too-many = more than { $max } results
id-results-bad-rows = { $total } bad rows, nothing used:
id-results-more = … and { $n } more
id-results-none = no results under the header
id-results-fields = { $found } fields; expected { $expected }
id-results-point = point "{ $point }": { $problem }
id-results-pollutant = no pollutant "{ $pollutant }" in the scenario
id-results-taken-at = taken_at "{ $text }": give HH:MM on day 1 or `D2 08:00`
id-results-not-concentration = { $column } "{ $text }" is not a concentration in mg/L (0 to 1e6)
id-results-not-value = value_mg_l "{ $text }" is not a concentration in mg/L (0 to 1e6), nor a non-detect (nd, <DL, <0.03, 未检出)

## What a command wrote, on standard error.

out-identify-report = report written to { $file }
out-evaluate-shard = shard { $shard }/{ $shards } written to { $file }; combine the shards with `tripoint plan merge`
out-db-risk-sources = { $n } risk sources written to { $file }
out-drill-no-plan = no monitoring plan was issued: nothing written to { $folder }
out-wrote = wrote { $file }

## Reading an input file (tui/src/input.rs) and the operating system's common errors on
## files (`i18n::io_error`; English shows the system's own words, these are its sense).

input-not-utf8 = { $path }: not UTF-8 text (byte { $byte })
input-folder = { $path }: a folder, not { $what }
input-too-large = more than { $max } bytes, the most { $what } may be
io-not-found = No such file or directory
io-permission-denied = Permission denied
io-already-exists = File exists
input-what-scenario = a scenario
input-what-results = a results file
input-what-drill-script = a drill script
input-what-plan-edits = a plan-edit file
input-what-journal = a journal
input-what-csv = a CSV file
input-what-geojson = a GeoJSON file
input-what-shard = a shard file
input-what-seats = a seats file
input-what-token = a token file
input-what-pem = a PEM file
input-what-plan-document = a plan document
input-what-orlib = an OR-Library file
input-what-dump = a dump

## `identify`'s dispersion lattice over its bound (`identify::LatticeTooLarge`, whose
## `Display` is this English).
# No risk source of the inventory holds a measured pollutant ($pollutants: their names).
id-no-candidate = no candidate place holds any of the measured pollutants ({ $pollutants })
id-lattice-too-large = { $unknown ->
        [discharge] the discharge taken as unknown (log-sd { $sq })
        [both] the dispersion and the discharge taken as unknown (log-sd { $sd } and { $sq })
       *[dispersion] the dispersion taken as unknown (log-sd { $sd })
    } weighs up to { $factors } factors for each of { $places } candidate places, { $runs } transport runs, more than the { $max } allowed: lower { $unknown ->
        [discharge] --error-discharge-log-sd
        [both] --error-dispersion-log-sd or --error-discharge-log-sd
       *[dispersion] --error-dispersion-log-sd
    } or take a coarser --spacing-m
