# 情景文件的问题（`sc-` 消息：`sim/src/scenario/validate.rs` 在英文之外以数据给出每个问题），
# `tripoint check` 的摘要，以及河网的检查结果。

sc-header = 情景文件有 { $count } 处问题
sc-problem = 错误：{ $problem }

sc-kind = { $kind ->
    [jurisdiction] 行政区
    [regime] 水文情势
    [pollutant] 污染物
    [node] 节点
    [reach] 河段
    [point] 点位
    [road_node] 路网节点
    [road] 道路
    [depot] 驻点
    [candidate_site] 候选驻点
    [team] 监测队伍
    [risk_source] 风险源
    [incident] 事件
    [release] 排放
    [flow_change] 流量变化
   *[other] { $kind }
}
sc-owner = { $kind } `{ $id }`
sc-owner-road = 道路 { $from } – { $to }

sc-positive = { $owner }：{ $what } 必须为正数，实际为 { $value }
sc-within = { $owner }：{ $what } 须在 { $low } 至 { $high }{ $unit } 之间，实际为 { $value }
sc-non-negative = { $owner }：{ $what } 须为零或正数，实际为 { $value }
sc-beyond-year = { $owner }：{ $what } 为 { $value }，超过一年
sc-file-too-big = 文件大小 { $bytes } 字节，超过上限 { $max } 字节
sc-syntax = TOML 语法错误：{ $detail }
sc-unknown-section = 未知的节 `{ $name }`，应为以下之一：{ $known }
sc-missing-field = 缺少字段 `{ $field }`
sc-unknown-field = 未知字段 `{ $field }`，{ $count ->
    [none] 此处不接受任何字段
    [one] 应为 { $first }
    [two] 应为 { $first } 或 { $second }
   *[many] 应为以下之一：{ $names }
}
sc-unknown-variant = 未知取值 `{ $field }`，{ $count ->
    [none] 此处没有可选取值
    [one] 应为 { $first }
    [two] 应为 { $first } 或 { $second }
   *[many] 应为以下之一：{ $names }
}
sc-invalid-type = 类型错误：{ $detail }
sc-other = { $detail }
sc-not-a-list = `{ $name }` 必须是表数组，写作 [[{ $name }]]
sc-too-many-entries = `{ $name }` 有 { $count } 个条目，超过上限 { $max }
sc-bad-id = { $kind }编号 { $id } 只能由 ASCII 字母、数字、`_` 或 `-` 组成，且不能为空
sc-duplicate-id = { $kind }编号 `{ $id }` 重复
sc-unknown-ref = { $owner }：未知的{ $kind } `{ $id }`（{ $known }）
sc-known = 已有：{ $ids }
sc-known-none = 没有有效条目
sc-water-class = 未知的水质类别 { $value }，应为 I、II、III、IV 或 V
sc-backs-itself = { $owner }：行政区不能支援自身
sc-no-network = 情景中没有河网：需要 [[nodes]] 和 [[reaches]]
sc-no-regimes = 没有 [[regimes]]：至少需要一种水文情势
sc-no-settings = 缺少 [scenario] 节（name、default_regime 等）
sc-unknown-item = { $owner }：未知的 GB 3838 项目 `{ $item }`（已有：{ $known }）
sc-no-limit = { $owner }：GB 3838 项目 `{ $item }` 没有数值标准限值，请给出 limit_mg_l
sc-detection-above-limit = { $owner }：检出限 { $detection } mg/L 高于标准限值 { $limit } mg/L
sc-lon = { $owner }：经度 lon 须在 -180 至 180 之间，实际为 { $value }
sc-lat = { $owner }：纬度 lat 须在 -90 至 90 之间，实际为 { $value }
sc-lake-needs-size = { $owner }：湖泊需要 area_km2 和 mean_depth_m
sc-lake-cells = { $owner }：cells 须在 1 至 100 之间，实际为 { $value }
sc-lake-fields = { $owner }：area_km2、mean_depth_m 和 cells 仅适用于湖泊
sc-length-exceeds = { $owner }：length_m 为 { $value }，超过 { $max } m
sc-discharge-unknown-regime = { $owner }：给出了未知水文情势 `{ $value }` 的流量
sc-discharge-missing = { $owner }：discharge_m3_s 缺少水文情势 `{ $value }` 的流量
sc-same-node = { $owner }：河段的起点和终点不能是同一节点
sc-cycle = 水流方向在节点 `{ $node }` 处形成环路
sc-node-role = 节点 `{ $node }`：{ $problem ->
    [inflow_in] 入流节点不能有流入的河段
    [inflow_out] 入流节点需要一条流出的河段
    [outlet_out] 出流节点不能有流出的河段
    [outlet_in] 出流节点需要一条流入的河段
    [junction] 汇流节点需要既有流入又有流出的河段
   *[lake_out] 湖泊需要一条流出的河段（出湖口）
}
sc-flow-balance = 节点 `{ $node }` 在水文情势 `{ $regime }` 下流量不平衡：流入 { $q_in } m³/s，流出 { $q_out } m³/s（容差 { $tolerance } %）
sc-chainage-beyond = { $owner }：里程 chainage_m { $chainage } 超出河段 `{ $reach }` 的终点（全长 { $length } m）
sc-needs-chainage = { $owner }：河段上的位置需要里程 chainage_m
sc-node-or-reach = { $owner }：请给出 `node`，或者 `reach` 与 `chainage_m`

## 河网（`transport::NetworkError`）

net-too-many-cells = 计算网格将有 { $cells } 个单元（上限 { $max }）；请增大 cell_length_m
net-cycle = 水流方向形成环路
net-too-much-work = 水文情势 `{ $regime }`：河段 `{ $reach }` 的稳定时间步长仅 { $dt } s（流速 { $velocity } m/s，弥散系数 { $dispersion } m²/s，单元长 { $dx } m），{ $hours } h 需要 { $steps } 个时间步（上限 { $max }）；请检查该河段的 dispersion_m2_s（m²/s）或增大 cell_length_m

## tripoint check：通过检查的情景所含内容（缩进由程序添加）

check-ok = { $file }：检查通过 — { $name }
check-network = 行政区 { $jurisdictions } 个，节点 { $nodes } 个（湖泊 { $lakes } 个），河段 { $reaches } 条（共 { $km } km，计算单元 { $cells } 个），命名点位 { $points } 个
check-regimes = 水文情势：{ $regimes }
check-regime-step = { $regime }：稳定时间步长 { $step } s（由河段{ $reach }决定）
check-dispersion = 纵向弥散系数：{ $method } 公式 × { $factor }（合理范围 × { $low } 至 × { $high }）
check-pollutants = 污染物：{ $pollutants }
check-releases = 排放 { $releases } 次，流量变化 { $changes } 次
check-operations = 业务数据：风险源 { $sources } 个，路网节点 { $road_nodes } 个，道路 { $roads } 条（桥梁 { $bridges } 座），驻点 { $depots } 个，候选驻点 { $sites } 个，监测队伍 { $teams } 支，事件 { $incidents } 起

## tripoint forecast：打印的预测表（各列由程序对齐）

fc-title = Tripoint 污染团输移预测 — { $scenario }
fc-regime = 排放时水文情势：{ $regime }{ $then } · 预测时段 { $from } → { $to } · 输出间隔 { $step } s
fc-then = ，随后 { $changes }
fc-change = { $at } 起为 { $regime }
fc-list-separator = ；
fc-run-on = 计算延续到预测时段之后的 { $end }（{ $why }）；标有 › 的时间在预测时段之后。
fc-why-passed = 污染团已流过全部点位
fc-why-longest = 已达允许的最长计算时间，污染团尚未流过全部点位
fc-release = 排放：{ $pollutant } { $mass } kg，位置 { $location }，时间 { $at }（{ $how }）
fc-instantaneous = 瞬时排放
fc-over-minutes = 持续 { $minutes } min
fc-legend =
    时间为时钟时间（第几日 时:分）及自首次排放起的历时。峰值为模型在该点位出现的最高浓度；
    “仍在上升”表示计算结束时浓度仍在上升。
fc-col-point = 点位
fc-col-kind = 类型
fc-col-jurisdiction = 区县
fc-col-pollutant = 污染物
fc-col-leading-edge = 到达时间
fc-col-peak = 峰值时间
fc-col-peak-mg-l = 峰值 mg/L
fc-col-limit = 标准限值
fc-col-over-limit = 超标历时
fc-col-over-limit-until = 超标至
fc-kind = { $kind ->
    [intake] 取水口
    [border_section] 省界断面
    [section] 监测断面
    [station] 自动监测站
    [buoy] 浮标站
    [micro_station] 微型站
   *[other] { $kind }
}
fc-no = 未超标
fc-still-over = 计算结束时仍超标
fc-not-reached = 未到达
fc-not-by = 截至 { $end } 未到达
fc-rising-at = { $end } 仍在上升
fc-not-downstream = 另有 { $count } 个命名点位不在排放点下游。
fc-spread-intro =
    纵向弥散系数是最不确定的输入（见 docs/domain-sources.md）。下表为取水口和省界断面在公式值 { $low }、{ $central } 和 { $high } 下的结果；
    预警取三者中最早的到达时间、最高的峰值浓度和最长的超标历时：
fc-spread-factor = × { $value }（{ $label }{ $same }）
fc-spread-same = ，即上表
fc-spread-low = 低值
fc-spread-central = 中值
fc-spread-high = 高值
fc-col-arrival-low-high = 到达时间 低值 / 高值
fc-col-peak-low-central-high = 峰值浓度 mg/L 低 / 中 / 高
fc-col-warning = 预警：超标起始时间
fc-col-for = 超标历时
fc-ensemble-intro =
    集合预测，成员 { $members } 个（随机种子 { $seed }）：纵向弥散系数、流量和排放量各自围绕情景值服从对数正态分布，
    对数标准差 { $dispersion } / { $flow } / { $mass }（见 docs/forecast-json.md）。数值为各成员的 P10 / P50 / P90；到达时间和超标历时
    为自首次排放起的历时，“—”表示该比例的成员未到达：
fc-col-arrive = 到达
fc-col-over = 超标
fc-col-arrival-quantiles = 到达时间 P10/P50/P90
fc-col-peak-quantiles = 峰值浓度 mg/L P10/P50/P90
fc-col-over-limit-quantiles = 超标历时 P10/P50/P90
fc-curves = 各取水口浓度过程，{ $from } → { $to }（每个字符 { $step }，每条曲线按其自身峰值缩放）：
fc-curve-peak = 峰值 { $peak } mg/L（标准限值 { $limit }）
fc-mass-balance = 计算结束时的质量平衡（kg）：
fc-mass-row = 排放 { $released }  水体中 { $stored }  流出河网 { $out }  降解 { $decayed }  低于浓度下限 { $floor }  不平衡 { $imbalance }
fc-work = 计算单元 { $cells } 个，单元计算 { $updates } 次，事件 { $events } 个。

## tripoint run：打印的运行结果（各列由程序对齐）

run-title = Tripoint 应急响应模拟 — { $scenario } · 调度方式 { $policy } · 随机种子 { $seed } · 模拟至 { $end }
run-incident = 事件 { $incident } — { $jurisdiction }{ $pollutant }泄漏，发生于 { $start }
run-discovered = 获知
run-discovered-by = { $at }，来源：{ $by }
run-plan-issued = 印发监测方案
run-plan-points = { $at }（{ $points } 个点位）
run-plan-revision = 方案版本
run-revision-mass = 第 { $revision } 版 · 估算泄漏量 { $assumed } kg（实际 { $true } kg）
run-first-sample-at-site = 事发点首个样品
run-border = 省界断面
run-intake = 取水口
run-first-sample = 首个样品
run-confirmed = 确认预警
run-plume-over-limit = 污染团超标到达
run-covered = 已在污染团到达前采样
run-not-covered = 未在污染团到达前采样
run-not-threatened = 未受威胁
run-warned-by = 提前 { $margin } 预警
run-warned-never-over = 已预警；污染团未超过标准限值
run-not-warned = 未在污染团到达前预警
run-coverage = 污染团到达前已采样的省界断面：{ $covered }/{ $sections } · 污染团到达前已预警的受威胁取水口：{ $warned }/{ $threatened }
run-work = 采集样品 { $samples } 个（已出结果 { $results } 个）· 采样任务 { $tasks } 项：完成 { $done }，逾期 { $late }，未完成 { $missed } · 自动站报警 { $alarms } 次
run-plan-edits = 方案调整：
run-edit-applied = 已执行
run-edit-refused = 被拒绝
run-teams = 监测队伍：
run-team-row = 样品 { $samples } 个  工作 { $busy } h  利用率 { $utilisation } %
