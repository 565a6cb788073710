# Source identification: the table `tripoint identify` prints and the report of
# `--report DIR` (tui/src/commands/identify.rs, tui/src/report/identify.rs).
# Numbers and clock times arrive formatted; a table's header is one message per cell
# in the terminal and one whole row in the report.

## The terminal table.
id-summary = Source identification: { $n } results ({ $detected } detected) at { $places } places, { $from } to { $to }
id-prior-inventory = the { $n } risk sources holding a measured pollutant ({ $without } hold none)
id-prior-anywhere = { $n } places on the network (every { $spacing } m and every lake cell)
id-prior-anywhere-refined = { $n } places on the network (every { $spacing } m and every lake cell; { $refined } stretches around the most probable places again in up to { $parts } equal parts, none shorter than a { $cell } m cell)
id-weighed = Weighed: { $prior }; starts from { $since } on; durations { $durations } min; errors { $relative } % measurement, { $model } % model, absolute { $absolute }, arrival time { $timing } min.
id-absolute-given = { $absolute } mg/L
id-absolute-detection = a third of each result's detection limit
id-candidates-heading = Candidates (posterior probability; intervals hold 90 %):
id-col-rank = rank
id-col-place = source / place
id-col-location = location
id-col-p = p
id-col-pollutant = pollutant
id-col-start = start (5–95 %)
id-col-mass = mass kg (5–95 %)
id-best = Most probable release: { $mass } kg of { $pollutant } at { $place }, { $start }, lasting { $minutes } min.
id-detected-heading = Detected results beside it (mg/L):
id-col-point = point
id-col-taken = taken
id-col-measured = measured
id-col-predicted = predicted
id-two-line = One release or two: P(two) = { $p_two }, P(one) = { $p_one } (ln Bayes factor two against one { $ln_bf }; { $weighed } of { $pairs } pairs weighed). { $verdict }
id-verdict-two = Two releases explain the results better than one.
id-verdict-one = One release explains the results: the second is not needed.
id-pairs-heading = Pairs (posterior probability given two releases; intervals hold 90 %):
id-best-pair = Most probable pair:
id-release-line = { $mass } kg of { $pollutant } at { $place }, { $start }, lasting { $minutes } min
id-release-unseen-line = { $pollutant } at { $place }: not detected, below { $mass } kg (90 % upper bound); its start is not told by the results
id-unseen-start = not told (not detected)
id-unseen-mass = below { $mass } (90 % bound)
id-unseen-note = A release marked "not detected" is one that, more probably than not, reads above no detection limit at any result: its mass is below the bound shown (one-sided 90 %), or the results would have read it above their limits; its start is not told by the results.
id-outlook-heading = Outlook at the intakes and border sections to { $end } ({ $draws } releases drawn from the posterior; P10 / P50 / P90):
id-col-p-reach = p reach
id-col-p-over = p over
id-col-arrival = arrival
id-col-peak = peak mg/L
id-col-over-limit = over limit h
id-next-heading = Next sample: where one more result would most narrow the arrival of { $pollutant } at { $target_name } ({ $target }; spread now ± { $sd } h):
id-next-none-detect = none: at every named point in the next hours the draws read below the detection limit
id-next-row = { $point } at { $at } detected in { $percent } % of draws, predicted { $predicted } mg/L; spread after ± { $sd } h
id-next-two = weighed over one release and two (P(two) = { $p_two }): the concentrations of a drawn pair add, at the sample and at the target
id-next-unneeded = Next sample: none needed for the outlook: no draw reaches an intake or border section.
id-footer = { $runs } transport runs, { $nodes } quadrature nodes. The flow regime is held steady; { $assumed }
id-footer-two = one and two simultaneous releases are weighed.
id-footer-one = one release is assumed.

## The report (report.md) and its charts.
idr-title = Source identification
idr-intro = Results from { $from } to { $to }; starts weighed from { $since } on; { $places } candidate places; { $draws } releases drawn from the posterior for the outlook to { $end }.
idr-two-heading = One release or two
idr-two-text = Posterior probability of two simultaneous releases: **{ $p_two }** (of one: { $p_one }; ln Bayes factor two against one { $ln_bf }; { $weighed } of { $pairs } pairs weighed). { $verdict }
idr-candidates-heading = Candidate places (one release)
idr-posterior-alt = Posterior over places
idr-candidates-header = | rank | source / place | location | probability | pollutant | start (5 / 50 / 95 %) | mass kg (5 / 50 / 95 %) |
idr-best = Most probable single release: { $mass } kg of { $pollutant } at { $place }, { $start }, lasting { $minutes } min.
idr-pairs-heading = Candidate pairs (two releases)
idr-pairs-header = | rank | probability | release | pollutant | start (5 / 50 / 95 %) | mass kg (5 / 50 / 95 %) |
idr-best-pair = Most probable pair:
idr-model-pair = the most probable pair
idr-model-one = the most probable single release
idr-fit-heading = Fit at the sampled points
idr-fit-text = Each result beside what { $model } predicts there (the line joins the predictions at the sample times); a non-detect is drawn at its detection limit.
idr-outlook-heading = Outlook at the intakes and border sections
idr-outlook-header = | point | pollutant | share | p reach | p over limit | arrival P10 / P50 / P90 | peak mg/L P10 / P50 / P90 |
idr-closing = The flow regime is held steady; the intervals are conditional on the transport model (docs/identify.md, "Limits").
idr-chart-outlook-title = { $name } ({ $point }): { $pollutant } forecast, P10–P90
idr-chart-time = time
idr-chart-concentration = concentration mg/L
idr-chart-band = P10–P90 of the drawn releases
idr-chart-median = P50
idr-chart-limit = limit
idr-chart-posterior-title = Posterior probability of each place
idr-chart-probability = probability
idr-chart-one = one release
idr-chart-one-of-two = one of two releases
idr-chart-fit-title = { $point }: { $pollutant }, measured and predicted
idr-chart-predicted = predicted by { $model }
idr-chart-detection-limit = detection limit
idr-chart-measured = measured
idr-chart-below = below the detection limit

## Places the results and candidates name (`i18n::location_name`; English shows the label).
id-location-chainage = { $reach } @ { $metres } m
id-location-lake-cell = { $lake }#{ $cell }

## With the prior anywhere: the places grouped into stretches (`identify::Group`).
id-groups-heading = Where, by stretch (neighbouring places on a reach, or a lake's cells, each above { $floor } %; intervals of the mixture of the group's places, 90 %):
id-col-water = reach / lake
id-col-extent = from–to m
id-col-near = nearest point
id-group-whole-lake = whole lake
id-group-near = { $point } ({ $metres } m)
idr-groups-heading = Where, by stretch
idr-groups-text = Neighbouring places on one reach (their stretches touch), or the cells of one lake, each holding at least { $floor } % of the posterior, form a group. Its probability is its places' sum, its start and mass intervals those of the mixture of their posteriors weighted by their probabilities, not of its most probable place alone.
idr-groups-header = | rank | reach / lake | from–to m | probability | places | nearest point | start (5 / 50 / 95 %) | mass kg (5 / 50 / 95 %) |

## The dispersion taken as unknown (`--error-dispersion-log-sd`).
id-dispersion-nodes = Dispersion unknown (log-sd { $sd }): factor on the scenario's and its posterior: { $nodes }.

## The candidates with the prior anywhere: a place is its location, so the first column
## names the point nearest it (`candidate_place` in tui/src/commands/identify.rs).
idr-candidates-header-anywhere = | rank | nearest point | location | probability | pollutant | start (5 / 50 / 95 %) | mass kg (5 / 50 / 95 %) |

## The dispersion and the discharge taken as unknown (`--error-discharge-log-sd`): the
## table's line, and the report's lines for each factor weighed.
id-factor-nodes = Dispersion and discharge unknown (log-sd { $sd } and { $sq }), { $nodes } pairs of factors kept; posterior of the factor on the scenario's dispersion: { $dispersion }; on its discharge: { $discharge }.
idr-factor-dispersion = Dispersion taken as unknown (log-sd { $sd }): posterior of the factor on the scenario's dispersion: { $factors }.
idr-factor-discharge = Discharge taken as unknown (log-sd { $sd }): posterior of the factor on every reach's discharge: { $factors }.
