# The command console (tui/src/console/): panels, forms, help, key hints, status lines.
# Arguments are `{ $name }`; keep them all when translating.

## Panels (tabs, titles)

panel-incidents = Incidents
panel-plan = Monitoring plan
panel-teams = Teams
panel-results = Results
panel-inbox = Inbox
panel-log = Event log
panel-source = Source

## Header and the small-terminal message

too-small = The terminal is { $width }×{ $height }: the console needs at least { $min_width }×{ $min_height }. Enlarge it, or press q to quit.
state-replay = REPLAY
state-paused = PAUSED
state-running = RUNNING
header-dispatch = { $policy } dispatch
header-seat = seat: { $seat }
header-live-title = LIVE — { $zone }
header-controller-view = [controller view]
seat-command = joint command
seat-controller = controller
seat-jurisdiction = jurisdiction { $jurisdiction }
seat-evaluator = evaluator
seat-observer = observer
speed-real-time = real time
speed-fastest = fastest
policy-unified = unified
policy-county = county

## Incidents

incidents-none = Incidents — none known yet
incidents-plan = plan r{ $revision } ({ $mass_kg } kg)
incidents-plan-pending = plan pending
col-incident = incident
col-where = where
col-pollutant = pollutant
col-level = lvl
col-known-since = known since
col-plan = plan

## Teams

col-team = team
col-doing = doing
col-until = until
col-team-jurisdiction = from
col-place = where
col-vehicle = vehicle
activity-idle = idle
activity-driving = driving
activity-sampling = sampling
activity-out-of-service = out of service

## Monitoring plan

plan-none-live = No plan yet: declare an incident (I); its plan follows after the preparation time.
plan-none = No plan yet: a plan is issued once an incident is known.
role-intake = intake
role-border = border
role-site = site
role-upstream = upstream
role-downstream = downstream
role-section = section
role-lake = lake
role-outlet = outlet
status-planned = planned
status-due = DUE
status-assigned = team on it
status-late = LATE
status-done = done
result-over = OVER
result-awaited = { $count } awaited
plan-approved = approved { $at }
plan-proposed = PROPOSED
plan-proposed-hint = PROPOSED (A approves)
plan-title-compact = Plan — { $incident } r{ $revision } { $approval } · { $mass_kg } kg
plan-title = Monitoring plan — { $incident } r{ $revision } { $approval } · { $mass_kg } kg assumed · { $method }
col-point = point
col-due = due
col-status = status
col-role = role
col-owner = owner
col-every = every
col-next-due = next due
col-last-mg-l = last mg/L
every-min = { $minutes } min

## Results

results-over = OVER ×{ $ratio }
results-not-conclusive = not conclusive
results-within = within
results-confirms = { $method } @ { $where } (confirms #{ $field })
results-method = { $method } @ { $where }
results-title = Results — { $count } known (newest taken first)
col-taken = taken
col-limit = limit
col-class = class
col-method = method @ where

## Inbox, log, chart, map

inbox-title = Inbox — { $open } to acknowledge
inbox-item = { $at } #{ $number } { $from } → { $to } ({ $channel })
log-title = Event log (newest first)
chart-none = Select a point in the plan (2, ↑↓, enter) to chart its forecast, limit and results.
chart-empty-title = Forecast
chart-title = { $point } — { $pollutant } [mg/L], limit { $limit }
chart-forecast = forecast
chart-limit = limit
chart-results = results
chart-now = now
chart-truth = truth
map-legend-truth = plume: ■ <10% ■ <100% ■ over the limit
map-legend = I intake, B border, S station; ✖ incident; teams by initial
map-title = Map — { $legend }
map-title-zoom = Map ×{ $zoom } — { $legend }
map-title-short = Map
map-title-zoom-short = Map ×{ $zoom }
help-map = map

## Forms

form-title = { $title } — enter submits, esc cancels
form-status = form: type (ctrl-u clears), tab moves, ←/→ choose, enter submits, esc cancels
form-add-point = Add a point to the plan of { $incident }
form-interval = Sampling interval at { $point }
form-declare = Declare an incident
form-revise = Revise { $incident }
form-result = Result for { $incident }
form-observe = An observation for the after-action report
field-point = point
field-every = every (min)
field-taken-at = taken at
field-mg-l = mg/L
field-place = place
field-pollutant = pollutant
field-mass = mass (kg)
field-released-at = released at
field-about = about
field-observation = observation
hint-add-point = ←/→ through the points the plan does not sample
hint-every = while the plume passes; ←/→ or type 5 to 1440
hint-result-point = ←/→ through the plan's points, or type an id
hint-clock = HH:MM or D2 HH:MM
hint-mg-l = the measured concentration; below the detection limit: ND, <DL, <0.005 or 未检出
hint-place = risk source, point or node id, or REACH@CHAINAGE_M
hint-pollutant = ←/→ through the scenario's pollutants
hint-mass = estimated released mass
hint-released-at = estimated time: HH:MM or D2 HH:MM
hint-about = ←/→ a seat, team or point; or type one
hint-observation = what you saw: it goes into the report with its time and your seat

## Help

help-title = Keys — ? or esc closes
key-pause = pause / resume the exercise
key-pause-short = pause
key-step = step one event (pauses)
key-faster = faster: ×10, ×60, ×600, fastest
key-faster-short = faster
key-slower = slower
key-next-panel = next panel
key-next-panel-short = next
key-panel-1 = incidents
key-panel-2 = monitoring plan
key-panel-3 = teams
key-panel-4 = results (F field, L lab)
key-panel-5 = inject inbox
key-panel-6 = event log
key-panel-7 = source estimate
key-down = move down in the panel
key-up = move up in the panel
key-select = select: plan, chart or revision
key-select-short = select
key-zoom-in = zoom in on the selected point
key-zoom-out = zoom the map out
key-pan-west = pan the map west
key-pan-east = pan the map east
key-pan-north = pan the map north
key-pan-south = pan the map south
key-reset-map = show the whole zone on the map
key-acknowledge = acknowledge the selected inject
key-acknowledge-short = acknowledge
key-sample = ask for a sample at the point
key-sample-short = ask
key-close-intake = advise closing the intake
key-reopen-intake = advise reopening the intake
key-notify = notify those downstream
key-media = issue a media statement
key-release-adhoc = controller: next ad-hoc inject
key-dispatch = send the team chosen in 3 here
key-switch-policy = dispatch: county ↔ unified
key-approve = approve the plan's revision
key-add-point = add a point to the plan
key-remove-point = remove the point from the plan
key-interval = change the point's interval
key-mutual-aid = ask for mutual aid at the point
key-declare = live: declare an incident
key-declare-short = declare
key-revise = live: revise the incident
key-revise-short = revise
key-enter-result = live: enter a sample result
key-enter-result-short = enter
key-observe = evaluator: note an observation
key-observe-short = observe
key-truth = controller view: the truth
key-save = save the journal
key-help = help
key-help-short = help
key-quit = quit
key-quit-short = quit

## Status line

status-start = paused — space to start
status-replay-start = replay (read-only): space to play the recorded session
status-live-start = live: I declares an incident, e enters a result, ? lists every key
status-ended = the exercise has ended
status-journal-saved = journal saved to { $path }
status-journal-unsaved = cannot save the journal to { $path }: { $problem }
status-paused = paused
status-running = running
status-stepped = stepped one event
status-speed = speed { $speed }
status-truth-on = controller view: simulated truth shown
status-truth-off = player view: only what the players know
status-read-only = replay: read-only
status-plan-of = plan of { $incident }
status-team-chosen = { $team } chosen: select a point in the plan (2) and press d
status-chart = chart: { $point }
status-map-whole = map: the whole zone
status-map-zoom = map: ×{ $zoom } around { $lon }°E { $lat }°N (0: whole zone)
status-acknowledged = inject { $number } acknowledged
status-already-acknowledged = inject { $number } is already acknowledged
status-inbox-empty = the inbox is empty (5 shows it)
status-sample-asked = sample asked for at { $point }
status-select-named-point = select a named point in the plan (2) first
status-closing-advised = closing { $point } advised
status-reopening-advised = reopening { $point } advised
status-select-intake = select an intake in the plan (2) first
status-notified = { $names } notified of { $incident }
status-no-incident = no incident is known yet
status-media = media statement issued
status-sent = { $team } sent to { $point }
status-choose-team = choose a team first: 3, then enter on it
status-select-point = select a point in the plan (2) first
status-policy = dispatch policy: { $policy }
status-already-approved = r{ $revision } is already approved ({ $by } at { $at })
status-approved = plan r{ $revision } of { $incident } approved
status-no-plan-to-approve = no plan to approve yet
status-removed = { $point } removed from the plan (i adds it back)
status-help-asked = help asked for at { $point }
status-adhoc-released = ad-hoc inject { $number } released
status-no-adhoc = no ad-hoc inject left to release
status-live-only = live sessions only: tripoint console SCENARIO.toml --live
status-no-plan-to-add = no plan to add a point to yet
status-all-points-in = every point is in the plan already
status-no-incident-declared = no incident declared yet: I declares one
status-no-plan-for-results = no plan yet: results go to a plan's points
status-cancelled = cancelled
status-declared = { $mass_kg } kg of { $pollutant } at { $place } declared
status-revised = { $mass_kg } kg of { $pollutant } at { $place } revised
status-result-entered = { $mg_l } mg/L at { $point } ({ $at }) entered
status-result-non-detect = not detected at { $point } ({ $at }) entered, at the method's detection limit
status-result-below = not detected (below { $mg_l } mg/L) at { $point } ({ $at }) entered
status-interval-set = { $point }: every { $minutes } min while the plume passes
status-point-added = { $point } added to the plan
status-observed = observation recorded
status-observed-about = observation about { $about } recorded
status-evaluator-only = only an evaluator's seat records observations
incident-number = incident { $number }

## Form problems

error-unknown-point = point: { $point } is neither in the plan nor a named point
error-later-than-now = taken at: { $at } is later than now
error-negative = mg/L: a concentration is not negative
error-not-a-result = mg/L: { $text } is neither a concentration nor a non-detect (ND, <DL, <0.005, 未检出)
error-not-minutes = every (min): { $text } is not a whole number of minutes
error-interval-range = every (min): expected { $min } to { $max }
error-not-addable = point: { $point } is not a point the plan can add
error-observation-empty = observation: write what you saw
error-about-too-long = about: at most { $max } characters
error-required = { $field }: required
error-not-a-number = { $field }: { $text } is not a number
error-not-a-time = { $field }: { $text }: expected HH:MM or D2 HH:MM

## A console connected to an exercise server

status-evaluator-read-only = an evaluator's console does not act in the exercise: O records an observation
status-seat-read-only = this seat is read-only: it watches the exercise, it does not act
status-remote-read-only = { $seat } at { $addr }: a read-only seat ({ $role }): you watch, you do not act
status-remote-evaluator = { $seat } at { $addr }: an evaluator's seat: you watch; O records an observation for the report
status-remote-controller = { $seat } at { $addr } (controller): space starts the server's clock
status-remote-seat = { $seat } at { $addr } ({ $role }): the controllers run the clock
remote-done = #{ $id } done{ $again }
remote-applied = #{ $id } { $detail }{ $again }
remote-refused = #{ $id } refused: { $detail }{ $again }
remote-answered-before = {" "}(answered before)
remote-no-step = stepping is for a console's own session: the server's clock runs this exercise
remote-server-journal = the server keeps this exercise's journal
remote-lost = connection lost ({ $why }); connecting again to { $addr }
remote-connected-again = connected again to { $addr }
remote-seat-refused = the server refused this seat: { $reason }; q quits
remote-unreadable-view = a view this console cannot read: { $problem }

## Source estimate (identification from the known results)

source-none = Source — no estimate yet: one follows each known incident's results
source-title = Source — { $incident } { $pollutant } ({ $index }/{ $count })
source-summary = { $detected } of { $results } results detected, newest { $time }
source-updating = updating…
source-pending = Weighing { $results } results…
source-no-results = No result of { $pollutant } yet: the source is estimated from the first results.
source-all-clean = All { $results } results are below their detection limits: nothing to trace back yet.
source-failed = The source could not be estimated: { $reason }
source-col-place = Candidate source
source-col-probability = P
source-col-start = Start 5–50–95 %
source-col-start-short = Start 5–95 %
source-col-mass = Mass 5–50–95 % [kg]
source-col-mass-short = kg 5–95 %
source-col-intake = Intake
source-col-reach = Reached
source-col-p10 = P10
source-col-p50 = P50
source-col-p90 = P90
source-threatened = { $intake } (threatened)
source-next-sample = Next sample: { $point } at { $time } ({ $share } of the draws detect there), to narrow the arrival at { $target }.
source-no-advice = No next sample advised: no intake or border section is threatened, or no sample would tell more.

source-offer-place = Results point to { $place } (p = { $probability }); declared { $declared }.
source-offer-start = Results put the start at { $start } (5–95 % { $from }–{ $to }); declared { $declared }.
source-offer-key = Enter: revise to { $place }, { $start }, { $mass_kg } kg (a form to confirm).
status-offer-place = { $incident }: results point to { $place } (p = { $probability })
status-offer-start = { $incident }: results put the start at { $start }
status-offer-key = { $what }: 7, enter to revise
status-no-offer = no revision offered: the results agree with the declaration, or do not settle it yet
form-revise-offer = Revise { $incident } from the results

## The event log's lines: the clock, who, and what they did, joined as the language
## joins a speaker to what is said ("：" in Chinese).
log-line = { $at } { $who }: { $what }

## A result's mark in the results panel, kept at every width (tui/src/console/render/results.rs),
## and a form's choice by its name with the id that is typed (render/form.rs).
results-mark-field = F
results-mark-lab = L
form-choice-named = { $name } ({ $id })
