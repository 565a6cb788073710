# 污染源识别（溯源）：`tripoint identify` 打印的表格与 `--report DIR` 的报告
# （tui/src/commands/identify.rs、tui/src/report/identify.rs）。
# 数字与时刻由程序格式化后传入；终端表头每格一条消息，报告表头为整行。
# 术语：后验概率；区间为贝叶斯 90% 可信区间；未检出、检出限依 HJ 168-2020。

## 终端表格。
id-summary = 污染源识别（溯源）：{ $places } 个点位共 { $n } 个监测结果（检出 { $detected } 个），{ $from } 至 { $to }
id-prior-inventory = 风险源清单中存有所测污染物的 { $n } 个风险源（另有 { $without } 个不存有）
id-prior-anywhere = 河网上 { $n } 个位置（河段每 { $spacing } m 一处，湖泊每个单元一处）
id-prior-anywhere-refined = 河网上 { $n } 个位置（河段每 { $spacing } m 一处，湖泊每个单元一处；最可能位置附近 { $refined } 个河段再等分为至多 { $parts } 段，每段不短于一个 { $cell } m 计算单元）
id-weighed = 权衡范围：{ $prior }；排放起始时间自 { $since } 起；排放持续时间 { $durations } min；误差：测量 { $relative }%，模型 { $model }%，绝对 { $absolute }，到达时间 { $timing } min。
id-absolute-given = { $absolute } mg/L
id-absolute-detection = 各结果检出限的三分之一
id-candidates-heading = 候选污染源（按后验概率排序；区间为 90% 可信区间）：
id-col-rank = 序号
id-col-place = 污染源 / 位置
id-col-location = 所在位置
id-col-p = 后验概率
id-col-pollutant = 污染物
id-col-start = 排放起始时间（5–95%）
id-col-mass = 排放量 kg（5–95%）
id-best = 最可能的排放：{ $place }，{ $start } 起排放{ $pollutant } { $mass } kg，持续 { $minutes } min。
id-detected-heading = 检出结果与其预测值（mg/L）：
id-col-point = 点位
id-col-taken = 采样时间
id-col-measured = 实测值
id-col-predicted = 预测值
id-two-line = 一处排放还是两处：P(两处) = { $p_two }，P(一处) = { $p_one }（两处对一处的 ln 贝叶斯因子 { $ln_bf }；已权衡 { $weighed } / { $pairs } 个组合）。{ $verdict }
id-verdict-two = 两处同时排放比一处更能解释监测结果。
id-verdict-one = 一处排放即可解释监测结果，无需第二处。
id-pairs-heading = 候选排放组合（两处排放条件下的后验概率；区间为 90% 可信区间）：
id-best-pair = 最可能的排放组合：
id-release-line = { $place }，{ $start } 起排放{ $pollutant } { $mass } kg，持续 { $minutes } min
id-release-unseen-line = { $place }，{ $pollutant }：未检出，排放量低于 { $mass } kg（90% 上限）；排放起始时间无法由监测结果判定
id-unseen-start = 无法判定（未检出）
id-unseen-mass = 低于 { $mass }（90% 上限）
id-unseen-note = 标为“未检出”的排放，很可能在任何监测结果中均未超过检出限：其排放量低于所示上限（单侧 90%），否则监测结果应已检出；其排放起始时间无法由监测结果判定。
id-outlook-heading = 取水口与省界断面预测，至 { $end }（从后验分布抽取 { $draws } 次排放；P10 / P50 / P90）：
id-col-p-reach = 到达概率
id-col-p-over = 超标概率
id-col-arrival = 到达时间
id-col-peak = 峰值 mg/L
id-col-over-limit = 超标时长 h
id-next-heading = 建议下一采样点位与时间：再取一个样品最能缩小{ $pollutant }到达{ $target_name }（{ $target }）时间的不确定性（目前标准差 ± { $sd } h）：
id-next-none-detect = 无：未来数小时内各点位的抽样预测均低于检出限
id-next-row = { $point } 于 { $at } 采样，{ $percent }% 的抽样可检出，预测 { $predicted } mg/L；采样后标准差 ± { $sd } h
id-next-two = 按一处与两处排放共同权衡（两处排放的后验概率 { $p_two }）：抽取的两处排放浓度在采样点与目标点处相加
id-next-unneeded = 建议下一采样点位与时间：无需采样，抽样排放均未到达取水口或省界断面。
id-footer = 共 { $runs } 次输运计算，{ $nodes } 个求积节点。流量状况按稳定不变处理；{ $assumed }
id-footer-two = 权衡了一处排放与两处同时排放。
id-footer-one = 假定为一处排放。

## 报告（report.md）及其图表。
idr-title = 污染源识别（溯源）报告
idr-intro = 监测结果自 { $from } 至 { $to }；排放起始时间自 { $since } 起权衡；候选位置 { $places } 个；从后验分布抽取 { $draws } 次排放，预测至 { $end }。
idr-two-heading = 一处排放还是两处
idr-two-text = 两处同时排放的后验概率：**{ $p_two }**（一处：{ $p_one }；两处对一处的 ln 贝叶斯因子 { $ln_bf }；已权衡 { $weighed } / { $pairs } 个组合）。{ $verdict }
idr-candidates-heading = 候选污染源（一处排放）
idr-posterior-alt = 各位置的后验概率
idr-candidates-header = | 序号 | 污染源 / 位置 | 所在位置 | 后验概率 | 污染物 | 排放起始时间（5 / 50 / 95%） | 排放量 kg（5 / 50 / 95%） |
idr-best = 最可能的单一排放：{ $place }，{ $start } 起排放{ $pollutant } { $mass } kg，持续 { $minutes } min。
idr-pairs-heading = 候选排放组合（两处排放）
idr-pairs-header = | 序号 | 后验概率 | 排放 | 污染物 | 排放起始时间（5 / 50 / 95%） | 排放量 kg（5 / 50 / 95%） |
idr-best-pair = 最可能的排放组合：
idr-model-pair = 最可能的排放组合
idr-model-one = 最可能的单一排放
idr-fit-heading = 采样点位的拟合情况
idr-fit-text = 各监测结果与{ $model }在该处的预测值对照（折线连接各采样时刻的预测值）；未检出结果画在其检出限处。
idr-outlook-heading = 取水口与省界断面预测
idr-outlook-header = | 点位 | 污染物 | 占比 | 到达概率 | 超标概率 | 到达时间 P10 / P50 / P90 | 峰值 mg/L P10 / P50 / P90 |
idr-closing = 流量状况按稳定不变处理；各区间以输运模型为前提（见 docs/identify.md）。
idr-chart-outlook-title = { $name }（{ $point }）：{ $pollutant }预测，P10–P90
idr-chart-time = 时间（情景时钟）
idr-chart-concentration = 浓度 mg/L
idr-chart-band = 抽样排放的 P10–P90
idr-chart-median = P50（中位数）
idr-chart-limit = 标准限值
idr-chart-posterior-title = 各位置的后验概率
idr-chart-probability = 后验概率
idr-chart-one = 一处排放
idr-chart-one-of-two = 两处排放之一
idr-chart-fit-title = { $point }：{ $pollutant }实测值与预测值
idr-chart-predicted = { $model }的预测值
idr-chart-detection-limit = 检出限
idr-chart-measured = 实测值
idr-chart-below = 未检出（画在检出限处）

## 结果与候选位置的地点名称（`i18n::location_name`）。
id-location-chainage = { $reach } { $metres } m 处
id-location-lake-cell = { $lake }第 { $cell } 单元

## 任意位置先验：按河段归并的候选位置（`identify::Group`）。
id-groups-heading = 按河段归并（同一河道上相邻的位置或同一湖泊的单元，各自后验概率不低于 { $floor }%；区间为组内各位置后验按概率加权混合后的 90% 可信区间）：
id-col-water = 河道 / 湖泊
id-col-extent = 起止里程 m
id-col-near = 最近点位
id-group-whole-lake = 整个湖泊
id-group-near = { $point }（{ $metres } m）
idr-groups-heading = 按河段归并
idr-groups-text = 同一河道上河段相接的相邻位置，或同一湖泊的各单元，凡后验概率不低于 { $floor }% 者归为一组。组的概率为其各位置概率之和；排放起始时间与排放量的区间取自各位置后验按概率加权的混合分布，而非仅取组内最可能位置的区间。
idr-groups-header = | 序号 | 河道 / 湖泊 | 起止里程 m | 后验概率 | 位置数 | 最近点位 | 排放起始时间（5 / 50 / 95%） | 排放量 kg（5 / 50 / 95%） |

## 弥散系数作为未知量（`--error-dispersion-log-sd`）。
id-dispersion-nodes = 弥散系数未知（对数标准差 { $sd }）：相对情景弥散系数的倍数及其后验概率：{ $nodes }。

## The candidates with the prior anywhere: a place is its location, so the first column
## names the point nearest it (`candidate_place` in tui/src/commands/identify.rs).
idr-candidates-header-anywhere = | 序号 | 最近点位 | 所在位置 | 后验概率 | 污染物 | 排放起始时间（5 / 50 / 95%） | 排放量 kg（5 / 50 / 95%） |

## 弥散系数与流量作为未知量（`--error-discharge-log-sd`）：表格中的一行，以及报告中每个计入因子的一行。
id-factor-nodes = 弥散系数与流量均未知（对数标准差 { $sd } 与 { $sq }），保留 { $nodes } 组倍数；相对情景弥散系数的倍数的后验概率：{ $dispersion }；相对情景流量的倍数的后验概率：{ $discharge }。
idr-factor-dispersion = 弥散系数作为未知量（对数标准差 { $sd }）：相对情景弥散系数的倍数的后验概率：{ $factors }。
idr-factor-discharge = 流量作为未知量（对数标准差 { $sd }）：各河段流量统一乘以的倍数的后验概率：{ $factors }。
