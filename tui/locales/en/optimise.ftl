# The report of `tripoint plan optimise --report DIR` (tui/src/report/optimise.rs):
# report.md, its SVG charts and the summary printed on the terminal. The English
# messages are the report's text as it was before Chinese was added, byte for byte
# (checked with `diff -r` on reports written before and after). The dispatch policies
# and the measures are planner.ftl's.

## What the search maximises (`--objective`).
optimise-goal-intake-warning = intake-warning
optimise-goal-p90-response = p90-response
optimise-goal-coverage = coverage

## The phases of the search and the changes it made.
optimise-phase-start = start
optimise-phase-greedy = greedy
optimise-phase-local-search = local search
optimise-change-leave-out = leave out { $team }
optimise-change-place = place { $team } at { $site }
optimise-change-relocate = move { $team } to { $site }
optimise-change-swap = swap the sites of { $a } and { $b }
optimise-change-exchange = field { $into } instead of { $out }
optimise-change-kit = move a { $kit } kit from { $from } to { $to }

## The allocations compared.
optimise-allocation-today = today
optimise-allocation-today-within = today ({ $teams } teams)
optimise-allocation-proposed = proposed
optimise-allocation-p-median = p-median
optimise-allocation-p-center = p-center
optimise-allocation-maximal-covering = maximal covering
optimise-list-separator = {", "}

## The terminal's summary.
optimise-summary-line = { $scenario }: optimised for { $goal } under { $policy } dispatch on { $trials } search trials (in-sample): today { $today } → proposed { $proposed } ({ $evaluations } allocations simulated{ $ending })
optimise-summary-local-optimum = , local optimum
optimise-summary-budget = , stopped at the budget
optimise-summary-proposed = proposed:
optimise-summary-team = { $team } @ { $site } [{ $kits }]
optimise-summary-checked = checked on { $trials } other trials under the four dispatch cells (95 % intervals):
optimise-summary-intake-warned = intake warned [%]
optimise-summary-site-p90 = site sample P90 [min]
optimise-summary-border-covered = border covered [%]

## report.md
optimise-title = # Where to station the teams: { $scenario }
optimise-intro = Objective **{ $goal }** under **{ $policy }** dispatch; { $teams } of { $all } teams fielded; teams { $may } be stationed in another jurisdiction. Search on trials 0–{ $search_last } (seed { $seed }), checked on trials { $check_first }–{ $check_last }; { $hours } h per trial; Tripoint { $version }; scenario fingerprint `{ $hash }`. The search simulated { $evaluations } allocations ({ $ending }).
optimise-intro-may = may
optimise-intro-may-not = may not
optimise-intro-local-optimum = it ended at a local optimum: no single move improves the proposal
optimise-intro-budget = it stopped at the evaluation budget, before a local optimum
optimise-kit-budget = Field-kit budget: { $kits }.
optimise-kit-budget-item = { $kit } = { $n } (carried in the proposal: { $carried })
optimise-proposal = ## The proposal
optimise-proposal-header = | team | jurisdiction | today | proposed | field kits today | field kits proposed |
optimise-not-fielded = not fielded
optimise-sites-map-alt = Today's and proposed stations
optimise-checked = ## Checked on other trials, under the four dispatch cells
optimise-checked-intro = Every allocation below was run on the same { $trials } trials, which the search never saw, under each of the four cells of pooling × ranking side by side: county (own teams in own borders, by due time), county_plume (own teams, the plume's front first), pooled_due (every team pooled, by due time) and unified (pooled, plume first); 95 % intervals. The classical models place the proposal's number of sites ({ $sites }) by driving time alone; each team then moves to the nearest chosen site it may use (from its depot of today), or stays at that depot if it may use none of them; the teams fielded and their kits are the proposal's.
optimise-measure = measure
optimise-paired = **Paired, trial by trial** (proposed against { $against }, on the objective: { $objective }):
optimise-paired-intake-warning = intakes warned in time
optimise-paired-coverage = border sections covered
optimise-paired-p90-response = summed time to the site samples
optimise-paired-header = | policy | better | worse | same | sign test p |
optimise-paired-note = A p-value above 0.05 means the checking trials give no evidence that the proposal differs from that allocation on the objective, whatever the search's own (in-sample) gain below.
optimise-response-alt = Response distributions
optimise-classical = ## The classical location models (driving times)
optimise-classical-intro = Clients: the { $sources } risk sources that can be drawn, weighted by their annual probability; candidates: the { $sites } sites (depots and candidate sites); distance: driving time from the site to the source's road node. Measures of each allocation's occupied sites: probability-weighted mean and largest driving time to the nearest, and the probability share within { $radius } min.
optimise-classical-header = | allocation | sites chosen by the model | sites occupied | mean drive [min] | largest [min] | within { $radius } min [%] | proven optimal |
optimise-yes = yes
optimise-no = no
optimise-search = ## The search
optimise-search-intro = Scores on the { $trials } search trials ({ $policy } dispatch; { $goal }; ties broken by the mean time to the site sample):
optimise-search-header = | allocation | { $goal } | mean site sample [min] |
optimise-search-today = today
optimise-search-start = start (today within the budget)
optimise-search-greedy = greedy construction
optimise-search-proposed = proposed (after local search)
optimise-steps-header = | phase | step | { $goal } | allocations simulated |
optimise-search-note = The search trials are fixed, so the search fits them: its gain over today's is an in-sample figure, and the check above on other trials is the one to rely on.
optimise-tradeoff = ## Trade-off: teams fielded against intake warning
optimise-tradeoff-intro = From the proposal, the team whose absence costs least on the objective is left out, one at a time (chosen on the search trials under { $policy } dispatch); each size is then checked on the checking trials under each of the four dispatch cells (95 % intervals).
optimise-tradeoff-teams = teams
optimise-tradeoff-checked = intake warned, { $policy } (checking) [%]
optimise-tradeoff-searched = { $goal } (search)
optimise-tradeoff-left-out = left out going from one more team to this
optimise-tradeoff-alt = Trade-off curve
optimise-files = ## Files
optimise-files-trials = - `trials.csv`: one row per allocation, checking trial and policy.
optimise-files-json = - `optimise.json`: the set-up, every allocation with its summary under each dispatch cell, the search steps, the curve and the curve as checked under each cell.

## Charts
optimise-chart-map-title = Today's and proposed stations of the monitoring teams
optimise-chart-map-site = { $site }: { $today } → { $proposed }
optimise-chart-map-proposed = proposed site (teams today → proposed)
optimise-chart-map-today = site used today only
optimise-chart-map-unused = candidate site not used
optimise-chart-map-source = risk source
optimise-chart-map-intake = ▲ drinking-water intake
optimise-chart-longitude = longitude [°E]
optimise-chart-latitude = latitude [°N]
optimise-chart-tradeoff-title = Teams fielded (leaving out the least useful first) vs intake warned in time
optimise-chart-tradeoff-checked = intake warned, { $policy } (checking trials)
optimise-chart-tradeoff-searched = intake warned, { $policy } (search trials)
optimise-chart-tradeoff-coverage = border sections covered (search trials)
optimise-chart-tradeoff-x = teams fielded
optimise-chart-tradeoff-y = per cent
optimise-chart-response-title = Discovery to first site sample: today (pale) and proposed, checking trials
optimise-chart-response-series = { $allocation } { $policy }
optimise-chart-response-x = minutes after discovery
optimise-chart-response-y = share of incidents sampled
