# 规划评估报告（`tripoint plan evaluate … --report 目录`、`plan merge --report`，
# tui/src/report/planner.rs）：report.md、其 SVG 图表以及终端输出的汇总表。

## 调度方式：英文显示编号，中文显示规划人员的用语。
planner-policy-county = 属地调度
planner-policy-county_plume = 属地调度（污染带优先）
planner-policy-pooled_due = 统一调度（按应采时间）
planner-policy-unified = 统一调度
planner-list-and = 与

## 各项指标（终端汇总表和 report.md 各一行）。
planner-measure-site-p50 = 事发点响应时间 P50 [min]
planner-measure-site-p90 = 事发点响应时间 P90 [min]
planner-measure-site-p95 = 事发点响应时间 P95 [min]
planner-measure-site-sampled = 事发点已采样比例 [%]
planner-measure-intake-warned = 取水口及时预警率 [%]
planner-measure-margin-p50 = 预警提前量 P50 [min]
planner-measure-margin-p10 = 预警提前量 P10 [min]
planner-measure-border-covered = 省界断面覆盖率 [%]
planner-measure-pairs-served = 并发事件全部到位率 [%]
planner-measure-singles-served = 单起事件全部到位率 [%]
planner-measure-samples-on-time = 样品按时采集率 [%]
planner-measure-utilisation = 队伍平均利用率 [%]
planner-measure-trials = 试验次数

## 终端汇总。
planner-summary-line = { $scenario }：试验次数 { $trials }（随机种子 { $seed }，每次 { $hours } 小时，两起并发事件占 { $pairs } %）；括号内为 95 % 置信区间
planner-report-written = 报告已写入 { $file }

## report.md
planner-title = # 应急监测队伍驻点布设评估：{ $scenario }
planner-intro = 共 { $trials } 次试验，随机种子 { $seed }，每次试验自首起事件发生起模拟 { $hours } 小时；Tripoint { $version }；情景指纹 `{ $hash }`。每次试验分别按{ $policies }运行，事件完全相同（公共随机数），因此各调度方式之间的差异仅来自调度本身。
planner-allocation = ## 评估的驻点布设方案
planner-allocation-header = | 驻点 | 所属区县 | 应急监测队伍 |
planner-list-separator = 、
planner-measures = ## 各项指标（95 % 置信区间）
planner-measures-header = 指标
planner-note-site = - **事发点响应时间**：从发现事件到在事发点采得首个样品的时间，统计全部事件（并发事件两起均计）。试验时段内事发点始终未采样的事件视为慢于任何已采样事件；区间界限显示为 — 的，即落在这些事件之中。分位数的置信区间不依赖分布假设（次序统计量）。
planner-note-intake = - **取水口及时预警率**：对方案预测将超过标准限值的每个取水口，在真实污染带于该处超过限值之前，污染带路径上已有超标的已知监测结果（Wilson 区间）。**预警提前量**：污染带到达时间减去该结果的时间，取每起事件中最不利的取水口。
planner-note-border = - **省界断面覆盖率**：方案中的省界断面在污染带于该处超过限值之前已采样的比例。同一次试验中的各断面并不相互独立，因此该区间偏窄。
planner-note-served = - **全部到位**：该次试验的每起事件事发点均已采样，污染带路径上的每个省界断面均在污染带到达前采样，且每个受威胁的取水口均及时预警。
planner-note-on-time = - **样品按时采集率**：方案中在应采时间后 30 min 内采集的样品占全部应采样品的比例（Wilson 区间；同一次试验的样品并不相互独立，因此该区间偏窄）。
planner-note-utilisation = - **队伍利用率**：队伍忙碌时间（在途、进场、采样）占试验时长的比例（正态区间，截断在 0–100 %：利用率不可能为负）。
planner-kits = ## 现场快速检测设备
planner-kits-intro = 每类设备的使用时间（采样及对其所分析样品的现场分析）占试验时长与所携设备数之积的比例，取各次试验的平均值（95 % 置信区间）。
planner-kits-kit = 设备
planner-kits-teams = 携带队伍数
planner-kits-policy = { $policy } [%]
planner-plots = ## 图表
planner-plot-response = 各调度方式下从发现事件到事发点首个样品的时间
planner-plot-utilisation = 各应急监测队伍的平均利用率
planner-plot-map = 按风险源统计的受威胁取水口及时预警比例
planner-by-source = ## 按风险源统计的取水口预警
planner-by-source-source = 风险源
planner-by-source-jurisdiction = 所属区县
planner-by-source-policy = { $policy }：及时预警 / 受威胁
planner-draws = ## 试验的抽样方法
planner-draws-source = - 风险源按风险源清单中的年发生概率抽取；污染物为其所涉化学品之一；泄漏量在最大可信泄漏量的 { $mass_min } % 至 100 % 之间按对数均匀分布抽取；首报泄漏量为真实泄漏量乘以对数正态因子（σ = { $reported_sigma }）。
planner-draws-start = - 事件开始时刻在一天内均匀分布；泄漏持续 20 min（桥梁）、30 min（航道）、60 min（工厂、仓库）或 120 min（污水处理厂）；由企业或路人在对数正态分布的延迟后报告（中位数 { $median_min } min，σ = { $report_sigma }）；自动监测站可能先行报警。
planner-draws-regime = - 每次试验中水文情势保持不变，各情势的权重：{ $weights }。
planner-draws-pairs = - { $pairs } % 的试验为发生在两个区县的两起县级事件，第二起在第一起开始后 { $gap_h } 小时内发生。
planner-draws-transport = - 河流输移由单位响应计算（每个风险源、每种水文情势 1 kg，按泄漏量缩放并平移；其与输移模型的一致程度见 docs/validation.md）。
planner-closing = `trials.csv` 中每次试验、每种调度方式各一行（事件 a；并发时另有事件 b）。以上均为规划用的假设，并非对任何年份的预测：可据此比较驻点布设方案和调度方式，但不应把百分比当作承诺。

## 图表
planner-chart-response-title = 从发现事件到事发点首个样品的时间（各事件的分布）
planner-chart-response-x = 发现后的时间 [min]
planner-chart-response-y = 已采样事件的比例
planner-chart-map-title = 受威胁取水口在污染带到达前获得预警的比例，按风险源（{ $policy }）
planner-chart-map-legend-0 = 取水口及时预警：0 %
planner-chart-map-legend-no-threat = 已抽取的风险源，无取水口受威胁
planner-chart-map-legend-depot = 驻点（队伍数），▲ 取水口
planner-chart-map-team = { $teams } 支队伍
planner-chart-map-teams = { $teams } 支队伍
planner-chart-longitude = 经度 [°E]
planner-chart-latitude = 纬度 [°N]
planner-chart-utilisation-title = 各次试验中应急监测队伍的平均利用率
planner-chart-utilisation-y = 忙碌时间 [占试验时长的 %]
