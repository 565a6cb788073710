# The emergency monitoring plan laid out as HJ 589-2021 asks (tui/src/report/plan.rs) and
# the field teams' sampling schedule's header and values. The English plan files keep the
# simulation library's text (`MonitoringPlan::to_markdown`, `to_schedule_csv`), byte for
# byte, so these English messages are the source the Chinese document is translated from.

plandoc-title = # Emergency monitoring plan — { $incident } (revision { $revision })
plandoc-incident = { $pollutant } incident in { $jurisdiction }
plandoc-issued = - Issued { $issued }; runs until { $ends } (scenario clock).
plandoc-approved = - Approved by { $by } at { $at }.
plandoc-seat-command = the command
plandoc-proposed = - Proposed: awaiting the command's approval.

plandoc-overview = ## 1. The incident
plandoc-overview-event = - Incident: { $incident } ({ $id }) at { $place } (longitude { $lon }, latitude { $lat }), in { $jurisdiction }, released from { $start }.
plandoc-overview-pollutant = - Characteristic pollutant: { $pollutant }; estimated mass released { $mass_kg } kg (revised by results).
plandoc-overview-level = - Response level: { $level }.

plandoc-scope = ## 2. Extent of monitoring
plandoc-scope-reach = - From { $from } to { $to }, in { $jurisdictions }.
plandoc-scope-time = - Forecast passage of the plume: { $first } to { $last }.
plandoc-scope-time-none = - The plume is not forecast to reach any point above the detection limit.
plandoc-scope-receptors = - { $intakes } drinking-water intake(s) and { $borders } border section(s) in reach, all sampled.

plandoc-layout = ## 3. Sections and points
plandoc-layout-rules = As HJ 589-2021 asks: a control section upstream of the release, control sections at the release and at set distances below it (one at least 10 km below), every drinking-water intake and border section the plume may reach; in a lake, points around the release along the flow and at the outlets. Verticals and layers follow HJ/T 91-2002 by width and depth.
plandoc-layout-header = | No. | Point | Id | Kind | Place (reach, chainage) | Longitude | Latitude | Jurisdiction | Verticals | Layers | Flow |

plandoc-items = ## 4. Parameters
plandoc-items-pollutant = - Characteristic pollutant: { $pollutant }.
plandoc-items-routine = - Routine parameters: { $items }.
plandoc-items-sediment = - Sediment: { $pollutant } binds to sediment; sediment samples at the release and downstream sections at the first visit and after the plume has passed (control: once).
plandoc-items-no-sediment = - Sediment: { $pollutant } does not bind to sediment; no sediment samples.

plandoc-frequency = ## 5. Frequency
plandoc-frequency-rule = Dense sampling while the plume approaches and passes, sparse otherwise. Termination: a point's monitoring ends when its results are compliant for { $rounds } consecutive rounds after its plume has passed.
plandoc-frequency-header = | Point | Forecast arrival | Forecast passed | Forecast peak (mg/L) | Dense | Sparse |
plandoc-every = every { $minutes } min

plandoc-times = ## 6. Sampling times
plandoc-times-note = Every due time, with the place's coordinates, the road node and the bottles, is in the field teams' schedule (the CSV file of the same name).
plandoc-times-header = | Point | First sample | Last sample | Samples | Duplicates | Sediment |

plandoc-methods = ## 7. Methods and detection limits
plandoc-methods-header = | Parameter | Method (instrument) | Standard | Detection limit (mg/L) | Use |
plandoc-method-field = field screening
plandoc-method-laboratory = laboratory analysis
plandoc-method-confirmation = laboratory confirmation
plandoc-method-basis-none = no national field method (instrument method, this tool's assumption)
plandoc-method-basis-after = after { $standard } (field instrument, this tool's assumption)
plandoc-methods-dl = The method's detection limit is below the limit at every point, as HJ 589-2021 asks.
plandoc-methods-dl-not = **The method's detection limit is not below the limit at every point: choose another method.**

plandoc-standard = ## 8. Evaluation standard
plandoc-standard-gb = GB 3838-2002 (surface water), single-factor evaluation; { $pollutant } is an item of its { $table } items. Exceedance multiple = (result − limit) / limit.
plandoc-standard-override = The scenario sets the limit of { $pollutant } to { $limit } mg/L (not GB 3838-2002's). Exceedance multiple = (result − limit) / limit.
plandoc-table-1 = Table 1 basic
plandoc-table-2 = Table 2 drinking-water source supplementary
plandoc-table-3 = Table 3 drinking-water source specific
plandoc-standard-header = | Point | Water-quality target | Limit (mg/L) | Forecast peak / limit |
plandoc-class = class { $class }
plandoc-times-limit = { $times } ×

plandoc-teams = ## 9. Teams and responsibilities
plandoc-teams-rule = Each point is the responsibility of its jurisdiction, whose nearest team samples it; mutual aid across jurisdictions is dispatched by the command.
plandoc-teams-header = | Responsible | Team | Points | Samples |
plandoc-team-none = none (no road reaches it)

plandoc-qa = ## 10. Quality assurance and control
plandoc-qa-duplicates = - Duplicates: one sample in { $every } at each point, the first included.
plandoc-qa-blanks = - Field blanks: { $count } per team and day, carried through the whole procedure.
plandoc-qa-custody = - Chain of custody: every sample travels with a record of who took it, when, where, in which container and to whom it was handed.
plandoc-qa-confirm = - Laboratory confirmation: every field result over the limit or not conclusive, the first at each point and one in { $every } are confirmed by { $method } ({ $standard }).
plandoc-qa-lab = - A laboratory method: results need no confirmation.
plandoc-qa-basis = - Sampling, preservation, transport and analysis are controlled as HJ 589-2021 and HJ/T 91-2002 ask.

plandoc-report = ## 11. Reporting
plandoc-report-express = - Express report every { $minutes } min, the first at { $first }: the results known, the points over the limit and by how much, the trend at the drinking-water intakes.
plandoc-report-revision = - When results depart from the forecast the plan is revised (a new revision number) and carried out once the command approves it.

plandoc-checklist = ## Annex: HJ 589-2021 checklist
plandoc-checklist-header = | Item | Requirement | Result | Findings |
plandoc-met = met
plandoc-not-met = **not met**
plandoc-checklist-note = The findings name what falls short, or what makes an item pass; the JSON file of the same name holds them in English (checklist).

## The checklist's items and requirements (the `item` of sim/src/plan/checklist.rs)
plandoc-check-control = control section
plandoc-check-control-req = a control (background) section upstream of the release
plandoc-check-site = release site
plandoc-check-site-req = a point at the release site
plandoc-check-downstream = downstream sections
plandoc-check-downstream-req = sections at set distances downstream, one at least 10 km below (HJ/T 91)
plandoc-check-intakes = drinking-water intakes
plandoc-check-intakes-req = every drinking-water intake the plume reaches (mandatory)
plandoc-check-border_sections = border sections
plandoc-check-border_sections-req = every border section the plume reaches
plandoc-check-verticals = verticals
plandoc-check-verticals-req = verticals by river width: one ≤ 50 m, two ≤ 100 m, three above (an intake: at its mouth)
plandoc-check-layers = layers
plandoc-check-layers-req = layers by depth: surface ≤ 5 m, surface and bottom ≤ 10 m, three above
plandoc-check-lake = lake
plandoc-check-lake-req = a lake release: points around the release along the flow and at the lake's outlets
plandoc-check-flow = flow
plandoc-check-flow-req = flow measured at the control and border sections
plandoc-check-sediment = sediment
plandoc-check-sediment-req = sediment samples where the pollutant binds to sediment
plandoc-check-method = method
plandoc-check-method-req = a method whose detection limit is below the limit at every point
plandoc-check-confirmation = confirmation
plandoc-check-confirmation-req = field results confirmed by a laboratory method
plandoc-check-qa_qc = QA/QC
plandoc-check-qa_qc-req = duplicates, field blanks, chain of custody
plandoc-check-owners = owners
plandoc-check-owners-req = an owner (jurisdiction and team) for every point
plandoc-check-express_reports = express reports
plandoc-check-express_reports-req = an express report after each sampling round

## Kinds of point
plandoc-role-intake = drinking-water intake
plandoc-role-border_section = border section
plandoc-role-release_site = release site
plandoc-role-upstream_control = control section
plandoc-role-downstream = downstream section
plandoc-role-lake_fan = lake point
plandoc-role-outlet = lake outlet
plandoc-role-section = monitoring section

## Names of the points the plan generates
plandoc-name-control = Upstream control section
plandoc-name-site = Release site
plandoc-name-down = Section { $km } km downstream
plandoc-name-lake-cell = { $lake } cell { $cell }
plandoc-name-outlet = Outlet of { $lake } into { $reach }
plandoc-name-of-incident = { $incident } · { $point }

## Places, verticals and layers
plandoc-place-reach = { $reach } at { $chainage_m } m
plandoc-place-lake = { $lake } cell { $cell }
plandoc-vertical-left = left
plandoc-vertical-centre = centre
plandoc-vertical-right = right
plandoc-layer-surface = surface
plandoc-layer-middle = middle
plandoc-layer-bottom = bottom
plandoc-yes = yes
plandoc-no = no
plandoc-list-separator = ,{" "}

## The field teams' schedule (CSV): the simulation library's header and values
plandoc-csv-header = due_s,due,kind,point,name,name_zh,role,jurisdiction,team,road_node,lon,lat,pollutant,method,limit_mg_l,forecast_arrival_s,verticals,layers,bottles,flow,duplicate
plandoc-kind-water = water
plandoc-kind-sediment = sediment
plandoc-kind-field_blank = field_blank

## The checklist's findings (sim/src/plan/checklist.rs, each `Check`'s `findings`): the
## English is the `detail` the plan's JSON and English document write, word for word.
hj589-control-missing = no upstream control section
hj589-control-count = { $count } control section(s)
hj589-control-impossible = nothing flows into the release's place: no control section possible
hj589-site-missing = no point at the release site
hj589-site-sampled = release site sampled
hj589-downstream-missing = no downstream section
hj589-downstream-near = the farthest downstream section is { $km } km below the release
hj589-downstream-count = { $count } downstream section(s), the farthest { $km } km below
hj589-reached-not-sampled = { $point } is reached but not sampled
hj589-in-plan = { $count } in the plan
hj589-verticals-few = { $point }: { $count } vertical(s) across { $width_m } m
hj589-verticals-three = { $count } point(s) with three verticals
hj589-layers-few = { $point }: { $count } layer(s) in { $depth_m } m
hj589-layers-fit = every point's layers fit its depth
hj589-lake-not = not a lake release
hj589-lake-cell-missing = no point in cell { $cell } of { $lake }
hj589-lake-outlet-missing = no point at the outlet into { $reach }
hj589-lake-covered = { $count } cell(s) and every outlet sampled
hj589-flow-missing = { $point }: no flow measurement
hj589-flow-count = flow at { $count } section(s)
hj589-sediment-missing = { $point }: no sediment sample
hj589-sediment-count = { $count } sediment sample(s)
hj589-sediment-not-binding = { $pollutant } does not bind to sediment
hj589-method-above-limit = { $point }: detection limit { $detection_limit } mg/L, limit { $limit } mg/L
hj589-method-ok = `{ $method }`, detection limit { $detection_limit } mg/L
hj589-confirmation-missing = a field method without laboratory confirmation
hj589-confirmation-not-laboratory = { $method } is not a laboratory method
hj589-confirmation-ok = `{ $method }` confirms over-limit, inconclusive and first results and one in { $every }
hj589-confirmation-not-needed = a laboratory method: no confirmation needed
hj589-qa-no-duplicate = { $point }: no duplicate
hj589-qa-no-custody = no chain of custody
hj589-qa-no-blanks = no field blanks
hj589-qa-ok = a duplicate in every { $every } samples at each point, { $blanks } field blank per team and day, chain of custody
hj589-owners-no-team = { $point }: no team
hj589-owners-ok = every point reachable by road has a team
hj589-express-slower = express reports every { $report_min } min, rounds every { $round_min } min
hj589-express-every = every { $minutes } min
