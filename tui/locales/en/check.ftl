# A scenario's problems (the `sc-` messages: `sim/src/scenario/validate.rs` gives each
# problem as data beside its English, `Problem::text`), `tripoint check`'s summary and the
# river network's findings. The English messages are the English the library writes,
# byte for byte (a unit test compares them).

sc-header = { $count ->
    [one] scenario has { $count } problem
   *[other] scenario has { $count } problems
}
sc-problem = error: { $problem }

sc-kind = { $kind ->
    [road_node] road node
    [candidate_site] candidate site
    [risk_source] risk source
    [flow_change] flow change
   *[other] { $kind }
}
sc-owner = { $kind } `{ $id }`
sc-owner-road = road { $from } – { $to }

sc-positive = { $owner }: { $what } must be positive, got { $value }
sc-within = { $owner }: { $what } must be between { $low } and { $high }{ $unit }, got { $value }
sc-non-negative = { $owner }: { $what } must be zero or positive, got { $value }
sc-beyond-year = { $owner }: { $what } { $value } is beyond one year
sc-file-too-big = file is { $bytes } bytes; the limit is { $max }
sc-syntax = syntax: { $detail }
sc-unknown-section = unknown section `{ $name }`, expected one of: { $known }
sc-missing-field = missing field `{ $field }`
sc-unknown-field = unknown field `{ $field }`, { $count ->
    [none] there are no fields
    [one] expected { $first }
    [two] expected { $first } or { $second }
   *[many] expected one of { $names }
}
sc-unknown-variant = unknown variant `{ $field }`, { $count ->
    [none] there are no variants
    [one] expected { $first }
    [two] expected { $first } or { $second }
   *[many] expected one of { $names }
}
sc-invalid-type = invalid type: { $detail }
sc-other = { $detail }
sc-not-a-list = `{ $name }` must be a list of tables, written [[{ $name }]]
sc-too-many-entries = `{ $name }` has { $count } entries; the limit is { $max }
sc-bad-id = { $kind } id { $id } must be non-empty ASCII letters, digits, `_` or `-`
sc-duplicate-id = duplicate { $kind } id `{ $id }`
sc-unknown-ref = { $owner }: unknown { $kind } `{ $id }` ({ $known })
sc-known = known: { $ids }
sc-known-none = no valid entries
sc-water-class = unknown water class { $value }, expected I, II, III, IV or V
sc-backs-itself = { $owner }: a jurisdiction cannot back itself
sc-no-network = the scenario has no river network: it needs [[nodes]] and [[reaches]]
sc-no-regimes = no [[regimes]]: at least one flow regime is needed
sc-no-settings = missing [scenario] section (name, default_regime, …)
sc-unknown-item = { $owner }: unknown GB 3838 item `{ $item }` (known: { $known })
sc-no-limit = { $owner }: GB 3838 item `{ $item }` has no numeric limit; give limit_mg_l
sc-detection-above-limit = { $owner }: detection limit { $detection } mg/L is above the limit { $limit } mg/L
sc-lon = { $owner }: lon must be within -180..180, got { $value }
sc-lat = { $owner }: lat must be within -90..90, got { $value }
sc-lake-needs-size = { $owner }: a lake needs area_km2 and mean_depth_m
sc-lake-cells = { $owner }: cells must be between 1 and 100, got { $value }
sc-lake-fields = { $owner }: area_km2, mean_depth_m and cells apply to lakes only
sc-length-exceeds = { $owner }: length_m { $value } exceeds { $max } m
sc-discharge-unknown-regime = { $owner }: discharge given for unknown regime `{ $value }`
sc-discharge-missing = { $owner }: discharge_m3_s has no value for regime `{ $value }`
sc-same-node = { $owner }: a reach cannot start and end at the same node
sc-cycle = flow directions form a cycle through node `{ $node }`
sc-node-role = node `{ $node }`: { $problem ->
    [inflow_in] an inflow node cannot have reaches flowing into it
    [inflow_out] an inflow node needs a reach flowing out of it
    [outlet_out] an outlet node cannot have reaches flowing out of it
    [outlet_in] an outlet node needs a reach flowing into it
    [junction] a junction needs reaches both into and out of it
   *[lake_out] a lake needs an outflowing reach (its outlet)
}
sc-flow-balance = flows do not balance at node `{ $node }` in regime `{ $regime }`: in { $q_in } m³/s, out { $q_out } m³/s (tolerance { $tolerance } %)
sc-chainage-beyond = { $owner }: chainage_m { $chainage } is beyond the end of reach `{ $reach }` ({ $length } m)
sc-needs-chainage = { $owner }: a place on a reach needs chainage_m
sc-node-or-reach = { $owner }: give either `node` or `reach` with `chainage_m`

## The river network (`transport::NetworkError`)

net-too-many-cells = the grid would have { $cells } cells (limit { $max }); raise cell_length_m
net-cycle = flow directions form a cycle
net-too-much-work = regime `{ $regime }`: reach `{ $reach }` allows a stable step of only { $dt } s (velocity { $velocity } m/s, dispersion { $dispersion } m²/s, cells of { $dx } m), so { $hours } h would need { $steps } time steps (limit { $max }); check the reach's dispersion_m2_s (m²/s) or raise cell_length_m

## tripoint check: what a scenario that passed holds (the program indents the lines)

check-ok = { $file }: ok — { $name }
check-network = { $jurisdictions } jurisdictions, { $nodes } nodes ({ $lakes } lakes), { $reaches } reaches ({ $km } km, { $cells } cells), { $points } named points
check-regimes = regimes: { $regimes }
check-regime-step = { $regime }: stable step { $step } s (set by reach { $reach })
check-dispersion = dispersion: { $method } × { $factor } (plausible range × { $low } to × { $high })
check-pollutants = pollutants: { $pollutants }
check-releases = releases: { $releases }, flow changes: { $changes }
check-operations = operations: { $sources } risk sources, { $road_nodes } road nodes, { $roads } roads ({ $bridges } bridges), { $depots } depots, { $sites } candidate sites, { $teams } teams, { $incidents } incidents

## tripoint forecast: the table it prints (the program pads the columns)

fc-title = Tripoint forecast — { $scenario }
fc-regime = Flow regime at the release: { $regime }{ $then } · horizon { $from } → { $to } · output every { $step } s
fc-then = , then { $changes }
fc-change = { $regime } at { $at }
fc-list-separator = {", "}
fc-run-on = Run on past the horizon to { $end } ({ $why }); times marked › are after the horizon.
fc-why-passed = the plume had passed every point
fc-why-longest = the longest run allowed; the plume had NOT yet passed every point
fc-release = Release: { $pollutant } { $mass } kg at { $location }, { $at } ({ $how })
fc-instantaneous = instantaneous
fc-over-minutes = over { $minutes } min
fc-legend =
    Times are clock (day, hh:mm) and elapsed since the first release. The peak is the
    highest value the model held at the point; "rising" means it was still rising when
    the run ended.
fc-col-point = point
fc-col-kind = kind
fc-col-jurisdiction = juris.
fc-col-pollutant = pollutant
fc-col-leading-edge = leading edge
fc-col-peak = peak
fc-col-peak-mg-l = peak mg/L
fc-col-limit = limit
fc-col-over-limit = over limit
fc-col-over-limit-until = over limit until
fc-kind = { $kind }
fc-no = no
fc-still-over = still over at the end
fc-not-reached = not reached
fc-not-by = not by { $end }
fc-rising-at = rising at { $end }
fc-not-downstream = { $count } other named points are not downstream of the release.
fc-spread-intro =
    Dispersion is the least certain input (docs/domain-sources.md). The intakes and border sections with the formula's value { $low }, { $central } and { $high };
    warnings take the earliest arrival, the highest peak and the longest time over the limit of the three:
fc-spread-factor = × { $value } ({ $label }{ $same })
fc-spread-same = {", the table above"}
fc-spread-low = low end
fc-spread-central = central
fc-spread-high = high end
fc-col-arrival-low-high = arrival low / high end
fc-col-peak-low-central-high = peak mg/L low / central / high
fc-col-warning = WARNING: over limit
fc-col-for = for
fc-ensemble-intro =
    Ensemble of { $members } members (seed { $seed }): dispersion, flow and released mass each log-normal about the scenario's value,
    log-sd { $dispersion } / { $flow } / { $mass } (docs/forecast-json.md). Figures are P10 / P50 / P90 over the members; arrival and time over
    the limit are elapsed since the first release, "—" where that share of members has no arrival:
fc-col-arrive = arrive
fc-col-over = over
fc-col-arrival-quantiles = arrival P10/P50/P90
fc-col-peak-quantiles = peak mg/L P10/P50/P90
fc-col-over-limit-quantiles = over limit P10/P50/P90
fc-curves = At the intakes, { $from } → { $to } ({ $step } per character, each curve scaled to its own peak):
fc-curve-peak = peak { $peak } mg/L (limit { $limit })
fc-mass-balance = Mass balance at the end of the run (kg):
fc-mass-row = released { $released }  in the water { $stored }  left the network { $out }  decayed { $decayed }  below the floor { $floor }  imbalance { $imbalance }
fc-work = { $cells } cells, { $updates } cell updates, { $events } events.

## tripoint run: what it prints (the program pads the columns)

run-title = Tripoint run — { $scenario } · policy { $policy } · seed { $seed } · until { $end }
run-incident = Incident { $incident } — { $pollutant } in { $jurisdiction }, started { $start }
run-discovered = discovered
run-discovered-by = { $at } by { $by }
run-plan-issued = plan issued
run-plan-points = { $at } ({ $points } points)
run-plan-revision = plan revision
run-revision-mass = { $revision } · released mass assumed { $assumed } kg (true { $true } kg)
run-first-sample-at-site = first sample at the release site
run-border = border
run-intake = intake
run-first-sample = first sample
run-confirmed = confirmed
run-plume-over-limit = plume over limit
run-covered = covered
run-not-covered = NOT covered before the plume
run-not-threatened = not threatened
run-warned-by = WARNED { $margin } before the plume
run-warned-never-over = warned; the plume never passed the limit
run-not-warned = NOT warned before the plume
run-coverage = Border sections sampled before their plume: { $covered }/{ $sections } · threatened intakes warned before the plume: { $warned }/{ $threatened }
run-work = Samples taken { $samples } (results known { $results }) · tasks { $tasks }: done { $done }, late { $late }, missed { $missed } · station alarms { $alarms }
run-plan-edits = Plan edits:
run-edit-applied = applied
run-edit-refused = REFUSED
run-teams = Teams:
run-team-row = samples { $samples }  busy { $busy } h  utilisation { $utilisation } %
