# 驻点布设优化报告（`tripoint plan optimise --report 目录`，tui/src/report/optimise.rs）：
# report.md、其 SVG 图表以及终端输出的汇总。调度方式和各项指标用 planner.ftl 的译名。

## 优化目标（`--objective`）。
optimise-goal-intake-warning = 取水口及时预警率
optimise-goal-p90-response = 事发点响应时间 P90
optimise-goal-coverage = 省界断面覆盖率

## 搜索的阶段及每一步的调整。
optimise-phase-start = 起点
optimise-phase-greedy = 贪心构造
optimise-phase-local-search = 局部搜索
optimise-change-leave-out = 不派出{ $team }
optimise-change-place = 将{ $team }布设在{ $site }
optimise-change-relocate = 将{ $team }移至{ $site }
optimise-change-swap = 对调{ $a }与{ $b }的驻点
optimise-change-exchange = 派出{ $into }，替代{ $out }
optimise-change-kit = 将一套{ $kit }由{ $from }转给{ $to }

## 参与比较的布设方案。
optimise-allocation-today = 现行方案
optimise-allocation-today-within = 现行方案（{ $teams } 支队伍）
optimise-allocation-proposed = 建议方案
optimise-allocation-p-median = p-中位模型
optimise-allocation-p-center = p-中心模型
optimise-allocation-maximal-covering = 最大覆盖模型
optimise-list-separator = 、

## 终端汇总。
optimise-summary-line = { $scenario }：以{ $goal }为目标、按{ $policy }在 { $trials } 次搜索试验上优化（样本内）：现行方案 { $today } → 建议方案 { $proposed }（共模拟 { $evaluations } 个布设方案{ $ending }）
optimise-summary-local-optimum = ，已达局部最优
optimise-summary-budget = ，因达到模拟次数上限而停止
optimise-summary-proposed = 建议方案：
optimise-summary-team = { $team } @ { $site }［{ $kits }］
optimise-summary-checked = 在另外 { $trials } 次试验上按四种调度方式检验（括号内为 95 % 置信区间）：
optimise-summary-intake-warned = 取水口及时预警率 [%]
optimise-summary-site-p90 = 事发点响应时间 P90 [min]
optimise-summary-border-covered = 省界断面覆盖率 [%]

## report.md
optimise-title = # 应急监测队伍驻点布设优化：{ $scenario }
optimise-intro = 优化目标为**{ $goal }**，调度方式为**{ $policy }**；派出 { $teams } 支队伍（共 { $all } 支）；队伍{ $may }驻扎在其他区县。搜索使用第 0–{ $search_last } 次试验（随机种子 { $seed }），检验使用第 { $check_first }–{ $check_last } 次试验；每次试验模拟 { $hours } 小时；Tripoint { $version }；情景指纹 `{ $hash }`。搜索共模拟 { $evaluations } 个布设方案（{ $ending }）。
optimise-intro-may = 可以
optimise-intro-may-not = 不可
optimise-intro-local-optimum = 已达局部最优：任何单步调整都不能再改进建议方案
optimise-intro-budget = 因达到模拟次数上限而停止，尚未达到局部最优
optimise-kit-budget = 现场快速检测设备配额：{ $kits }。
optimise-kit-budget-item = { $kit } { $n } 套（建议方案中携带 { $carried } 套）
optimise-proposal = ## 建议方案
optimise-proposal-header = | 应急监测队伍 | 所属区县 | 现行驻点 | 建议驻点 | 现行携带的现场快速检测设备 | 建议携带的现场快速检测设备 |
optimise-not-fielded = 不派出
optimise-sites-map-alt = 现行驻点与建议驻点
optimise-checked = ## 在其他试验上按四种调度方式检验
optimise-checked-intro = 以下每个布设方案都在同样的 { $trials } 次试验上运行（搜索从未用过这些试验），并按“是否统一调配 × 优先次序”的四种组合分别调度、并列比较：属地调度（本区县队伍只在本区县内，按应采时间）、属地调度（污染带优先）（本区县队伍，先到污染带前锋）、统一调度（按应采时间）（全部队伍统一调配，按应采时间）和统一调度（统一调配，污染带优先）；括号内为 95 % 置信区间。经典选址模型仅按行车时间选出与建议方案相同数目（{ $sites } 个）的驻点；然后每支队伍（从其现行驻点出发）移至可用的最近选定驻点，若无可用的选定驻点则留在现行驻点；派出的队伍及其设备与建议方案相同。
optimise-measure = 指标
optimise-paired = **逐次试验配对比较**（建议方案对比{ $against }，按优化目标：{ $objective }）：
optimise-paired-intake-warning = 及时预警的取水口数
optimise-paired-coverage = 已覆盖的省界断面数
optimise-paired-p90-response = 各事发点首个样品用时之和
optimise-paired-header = | 调度方式 | 更好 | 更差 | 相同 | 符号检验 p 值 |
optimise-paired-note = p 值大于 0.05 表示检验试验不能证明建议方案在优化目标上与该方案有差异，无论下文搜索本身（样本内）的改进有多大。
optimise-response-alt = 响应时间分布
optimise-classical = ## 经典选址模型（按行车时间）
optimise-classical-intro = 需求点：可抽取的 { $sources } 个风险源，按年发生概率加权；候选点：{ $sites } 个候选驻点（现有驻点和备选驻点）；距离：驻点到风险源所在道路节点的行车时间。各方案所用驻点的指标：到最近驻点的概率加权平均行车时间和最长行车时间，以及 { $radius } min 内可达的概率占比。
optimise-classical-header = | 布设方案 | 模型选定的驻点 | 所用驻点 | 平均行车时间 [min] | 最长行车时间 [min] | { $radius } min 内可达 [%] | 已证明最优 |
optimise-yes = 是
optimise-no = 否
optimise-search = ## 搜索过程
optimise-search-intro = 在 { $trials } 次搜索试验上的得分（{ $policy }；{ $goal }；得分相同时以到事发点首个样品的平均时间决定）：
optimise-search-header = | 布设方案 | { $goal } | 事发点首个样品平均用时 [min] |
optimise-search-today = 现行方案
optimise-search-start = 起点（配额内的现行方案）
optimise-search-greedy = 贪心构造
optimise-search-proposed = 建议方案（局部搜索后）
optimise-steps-header = | 阶段 | 调整 | { $goal } | 已模拟方案数 |
optimise-search-note = 搜索试验是固定的，搜索结果会拟合这些试验：其相对现行方案的改进是样本内的数字，应以上文在其他试验上的检验为准。
optimise-tradeoff = ## 帕累托前沿：派出队伍数与取水口及时预警率
optimise-tradeoff-intro = 从建议方案出发，每次去掉对优化目标影响最小的一支队伍（按{ $policy }在搜索试验上选定）；每种队伍数再在检验试验上按四种调度方式分别检验（括号内为 95 % 置信区间）。
optimise-tradeoff-teams = 队伍数
optimise-tradeoff-checked = 取水口及时预警率，{ $policy }（检验）[%]
optimise-tradeoff-searched = { $goal }（搜索）
optimise-tradeoff-left-out = 由多一支队伍减至此数时去掉的队伍
optimise-tradeoff-alt = 帕累托前沿
optimise-files = ## 文件
optimise-files-trials = - `trials.csv`：每个布设方案、每次检验试验、每种调度方式各一行。
optimise-files-json = - `optimise.json`：设置、每个布设方案及其在各调度方式下的汇总、搜索的每一步、帕累托前沿及其在各调度方式下的检验结果。

## 图表
optimise-chart-map-title = 应急监测队伍的现行驻点与建议驻点
optimise-chart-map-site = { $site }：{ $today } → { $proposed }
optimise-chart-map-proposed = 建议驻点（现行队伍数 → 建议队伍数）
optimise-chart-map-today = 仅现行方案使用的驻点
optimise-chart-map-unused = 未使用的候选驻点
optimise-chart-map-source = 风险源
optimise-chart-map-intake = ▲ 饮用水水源地取水口
optimise-chart-longitude = 经度 [°E]
optimise-chart-latitude = 纬度 [°N]
optimise-chart-tradeoff-title = 派出队伍数（依次去掉作用最小的队伍）与取水口及时预警率
optimise-chart-tradeoff-checked = 取水口及时预警率，{ $policy }（检验试验）
optimise-chart-tradeoff-searched = 取水口及时预警率，{ $policy }（搜索试验）
optimise-chart-tradeoff-coverage = 省界断面覆盖率（搜索试验）
optimise-chart-tradeoff-x = 派出队伍数
optimise-chart-tradeoff-y = 百分比
optimise-chart-response-title = 响应时间分布：从发现事件到事发点首个样品（浅色为现行方案），检验试验
optimise-chart-response-series = { $allocation }，{ $policy }
optimise-chart-response-x = 发现后的时间 [min]
optimise-chart-response-y = 已采样事件的比例
