# The planner's report (`tripoint plan evaluate … --report DIR`, `plan merge --report`,
# tui/src/report/planner.rs): report.md, its SVG charts and the summary printed on the
# terminal. The English messages are the report's text as it was before Chinese was
# added, byte for byte (checked with `diff -r` on a report written before and after).

## Dispatch policies: English shows the id, Chinese the words a planner uses.
planner-policy-county = county
planner-policy-county_plume = county_plume
planner-policy-pooled_due = pooled_due
planner-policy-unified = unified
planner-list-and = { " and " }

## The measures, one row each (the terminal's table and report.md).
planner-measure-site-p50 = site sample P50 [min]
planner-measure-site-p90 = site sample P90 [min]
planner-measure-site-p95 = site sample P95 [min]
planner-measure-site-sampled = site sampled [%]
planner-measure-intake-warned = intake warned in time [%]
planner-measure-margin-p50 = warning margin P50 [min]
planner-measure-margin-p10 = warning margin P10 [min]
planner-measure-border-covered = border sections covered [%]
planner-measure-pairs-served = pairs fully served [%]
planner-measure-singles-served = singles fully served [%]
planner-measure-samples-on-time = samples on time [%]
planner-measure-utilisation = mean team utilisation [%]
planner-measure-trials = trials

## The terminal's summary.
planner-summary-line = { $scenario }: { $trials } trials (seed { $seed }, { $hours } h each, { $pairs } % simultaneous pairs); 95 % intervals in brackets
planner-report-written = report written to { $file }

## report.md
planner-title = # Allocation evaluation: { $scenario }
planner-intro = { $trials } trials, seed { $seed }, { $hours } h per trial from the first incident; Tripoint { $version }; scenario fingerprint `{ $hash }`. Each trial was run under { $policies } dispatch with the same incidents (common random numbers), so the policies differ by their dispatch alone.
planner-allocation = ## The allocation evaluated
planner-allocation-header = | depot | jurisdiction | teams |
planner-list-separator = { ", " }
planner-measures = ## Measures (95 % confidence intervals)
planner-measures-header = measure
planner-note-site = - **Site sample**: from discovery to the first sample at the release site, over every incident (both of a pair). An incident whose site was never sampled within the trial counts as slower than any; an interval bound shown as — lies among them. Quantile intervals are distribution-free (order statistics).
planner-note-intake = - **Intake warned in time**: over every intake the plan's forecast put over its limit, a known over-limit result on the plume's path before the true plume passed the limit there (Wilson interval). **Margin**: plume arrival minus that result, worst intake of each incident.
planner-note-border = - **Border sections covered**: border sections of the plans sampled before the plume passed the limit there. Sections of one trial are not independent, so this interval is too narrow.
planner-note-served = - **Fully served**: every incident of the trial had its release site sampled, every border section on its plume's path sampled before the plume and every threatened intake warned in time.
planner-note-on-time = - **Samples on time**: the plans' samples taken within 30 min of their due time, over all samples due (Wilson interval; samples of one trial are not independent, so it is too narrow).
planner-note-utilisation = - **Utilisation**: a team's busy time (travel, access, sampling) over the trial's length (normal interval, clipped to 0–100 %: a utilisation cannot be negative).
planner-kits = ## Field kits
planner-kits-intro = Time each kit was in use (sampling and on-site analysis of the samples it analysed) over the trial's length and the kits carried, mean over trials (95 % interval).
planner-kits-kit = kit
planner-kits-teams = teams carrying
planner-kits-policy = { $policy } [%]
planner-plots = ## Plots
planner-plot-response = Discovery to first sample at the release site, per policy
planner-plot-utilisation = Mean utilisation of each team
planner-plot-map = Share of threatened intakes warned in time, by source
planner-by-source = ## Intake warning by source
planner-by-source-source = source
planner-by-source-jurisdiction = jurisdiction
planner-by-source-policy = { $policy } warned / threatened
planner-draws = ## How trials are drawn
planner-draws-source = - Source by its annual probability in the risk-source inventory; pollutant one of its chemicals; mass log-uniform between { $mass_min } % and 100 % of the largest credible release; first report's mass the true mass times a lognormal factor (σ = { $reported_sigma }).
planner-draws-start = - Start uniform over the day; release lasting 20 min (bridge), 30 min (shipping lane), 60 min (plant, store) or 120 min (treatment works); reported by the enterprise or a passer-by after a lognormal delay (median { $median_min } min, σ = { $report_sigma }); stations may raise the alarm first.
planner-draws-regime = - Flow regime steady through a trial, weights { $weights }.
planner-draws-pairs = - { $pairs } % of trials are two county-level incidents in two jurisdictions, the second starting within { $gap_h } h of the first.
planner-draws-transport = - River transport from unit responses (1 kg per source and regime, scaled and shifted; see docs/validation.md for their agreement with the transport model).
planner-closing = `trials.csv` has one row per trial and policy (incident a, and b for a pair). These are assumptions for planning, not a forecast of any year: compare allocations and policies with them, do not read the percentages as promises.

## Charts
planner-chart-response-title = Discovery to first sample at the site (distribution over incidents)
planner-chart-response-x = minutes after discovery
planner-chart-response-y = share of incidents sampled
planner-chart-map-title = Threatened intakes warned before the plume, by source ({ $policy } dispatch)
planner-chart-map-legend-0 = intake warned in time: 0 %
planner-chart-map-legend-no-threat = source drawn, no intake threatened
planner-chart-map-legend-depot = depot (teams), ▲ intake
planner-chart-map-team = { $teams } team
planner-chart-map-teams = { $teams } teams
planner-chart-longitude = longitude [°E]
planner-chart-latitude = latitude [°N]
planner-chart-utilisation-title = Mean team utilisation over the trials
planner-chart-utilisation-y = busy time [% of the trial]
