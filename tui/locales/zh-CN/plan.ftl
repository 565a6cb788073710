# 应急监测方案（tui/src/report/plan.rs）：`run --plans` 与 `drill --plans` 写出的 plan-*.md
# 及现场采样计划表 plan-*.csv 的表头与取值。结构与术语依 HJ 589-2021《突发环境事件应急
# 监测技术规范》、HJ/T 91-2002 与 GB 3838-2002。参数写作 `{ $name }`，翻译时须全部保留。

plandoc-title = # { $incident }应急监测方案（第 { $revision } 版）
plandoc-incident = { $jurisdiction }{ $pollutant }突发环境事件
plandoc-issued = - 编制时间：{ $issued }；方案执行至 { $ends }（情景时钟）。
plandoc-approved = - 审批：已由 { $by } 于 { $at } 批准。
plandoc-seat-command = 应急指挥部
plandoc-proposed = - 审批：待应急指挥部批准（建议方案）。

plandoc-overview = ## 一、事件概况
plandoc-overview-event = - 事件：{ $incident }（编号 { $id }），事发地位于{ $place }（经度 { $lon }，纬度 { $lat }），属{ $jurisdiction }，{ $start } 开始泄漏。
plandoc-overview-pollutant = - 特征污染物：{ $pollutant }；估算泄漏量 { $mass_kg } kg（按监测结果修订）。
plandoc-overview-level = - 响应级别：{ $level } 级。

plandoc-scope = ## 二、监测范围
plandoc-scope-reach = - 自{ $from }至{ $to }，涉及{ $jurisdictions }。
plandoc-scope-time = - 预测污染团影响时段：{ $first } 至 { $last }。
plandoc-scope-time-none = - 预测污染团未以可检出浓度到达各监测点位。
plandoc-scope-receptors = - 影响范围内饮用水水源地取水口 { $intakes } 个、跨界断面 { $borders } 个，均设为必测点位。

plandoc-layout = ## 三、监测断面（点位）布设
plandoc-layout-rules = 按 HJ 589-2021：事发点上游设对照断面，事发点及下游按一定间距设控制断面（至少一个距事发点 10 km 以上），污染团可能到达的饮用水水源地取水口和跨界断面必须布点；湖库事件在事发点周边按水流方向及出湖口布点。采样垂线与采样层次依 HJ/T 91-2002 按河宽、水深确定。
plandoc-layout-header = | 序号 | 点位名称 | 点位编号 | 断面类型 | 位置（河段、里程） | 经度 | 纬度 | 所属区县 | 采样垂线 | 采样层次 | 测流 |

plandoc-items = ## 四、监测项目
plandoc-items-pollutant = - 特征污染物：{ $pollutant }。
plandoc-items-routine = - 常规项目：{ $items }。
plandoc-items-sediment = - 底质：{ $pollutant }易吸附于沉积物，事发点及下游断面首次采样时和污染团过境后各采集沉积物样品（对照断面一次）。
plandoc-items-no-sediment = - 底质：{ $pollutant }不易吸附于沉积物，不采集沉积物样品。

plandoc-frequency = ## 五、监测频次
plandoc-frequency-rule = 污染团到达前后及过境期间加密监测，其余时段常规监测。终止条件：各点位在污染团过境后连续 { $rounds } 次监测结果均达标，即可终止该点位的监测。
plandoc-frequency-header = | 点位名称 | 预计到达时间 | 预计过境结束时间 | 预测峰值浓度 (mg/L) | 加密监测频次 | 常规监测频次 |
plandoc-every = 每 { $minutes } 分钟 1 次

plandoc-times = ## 六、采样时间
plandoc-times-note = 逐次采样时间、点位坐标、交通节点及采样瓶数见现场采样计划表（同名 CSV 文件）。
plandoc-times-header = | 点位名称 | 首次采样时间 | 末次采样时间 | 采样次数 | 平行样 | 沉积物样 |

plandoc-methods = ## 七、分析方法及检出限
plandoc-methods-header = | 监测项目 | 分析方法（仪器） | 方法依据 | 检出限 (mg/L) | 用途 |
plandoc-method-field = 现场快速监测
plandoc-method-laboratory = 实验室分析
plandoc-method-confirmation = 实验室确认
plandoc-method-basis-none = 无国家标准现场方法（仪器法，为本工具假设）
plandoc-method-basis-after = 参照 { $standard }（现场仪器法，为本工具假设）
plandoc-methods-dl = 所用方法检出限低于各点位标准限值，满足 HJ 589-2021 对方法灵敏度的要求。
plandoc-methods-dl-not = **所用方法检出限不低于部分点位的标准限值，须另选方法。**

plandoc-standard = ## 八、评价标准
plandoc-standard-gb = 执行《地表水环境质量标准》（GB 3838-2002），采用单因子评价法；{ $pollutant }为该标准{ $table }项目。超标倍数 =（监测值 − 标准限值）/ 标准限值。
plandoc-standard-override = { $pollutant }的标准限值由情景设定为 { $limit } mg/L（不取 GB 3838-2002 的限值）。超标倍数 =（监测值 − 标准限值）/ 标准限值。
plandoc-table-1 = 表 1 基本
plandoc-table-2 = 表 2 集中式生活饮用水地表水源地补充
plandoc-table-3 = 表 3 集中式生活饮用水地表水源地特定
plandoc-standard-header = | 点位名称 | 水质目标 | 标准限值 (mg/L) | 预测峰值 / 标准限值 |
plandoc-class = { $class } 类
plandoc-times-limit = { $times } 倍

plandoc-teams = ## 九、监测队伍与分工
plandoc-teams-rule = 每个点位由其所属区县负责，指定距离最近的本区县监测小组承担采样；跨区县支援由应急指挥部统一调度。
plandoc-teams-header = | 责任单位 | 监测小组 | 负责点位 | 采样次数 |
plandoc-team-none = 未指定（无道路可达）

plandoc-qa = ## 十、质量保证和质量控制
plandoc-qa-duplicates = - 平行样：各点位每 { $every } 个样品采集 1 个平行样（首个样品计入）。
plandoc-qa-blanks = - 全程序空白：每个监测小组每天采集 { $count } 个现场空白样。
plandoc-qa-custody = - 样品流转：每个样品附样品流转单，记录采样人、采样时间、采样地点、容器及交接人。
plandoc-qa-confirm = - 实验室确认：现场快速监测结果超标或无法判定的、各点位的首个结果，以及每 { $every } 个结果中的 1 个，送实验室以{ $method }（{ $standard }）确认。
plandoc-qa-lab = - 采用实验室分析方法，监测结果无需另行确认。
plandoc-qa-basis = - 采样、保存、运输与分析的质量控制依 HJ 589-2021 与 HJ/T 91-2002 执行。

plandoc-report = ## 十一、报告
plandoc-report-express = - 应急监测快报：每 { $minutes } 分钟一期，首期于 { $first } 报出，内容为已获得的监测结果、超标点位及超标倍数、饮用水水源地取水口浓度变化趋势。
plandoc-report-revision = - 监测结果与预测不符时修订本方案（版本号递增），修订后的方案经应急指挥部批准后执行。

plandoc-checklist = ## 附：HJ 589-2021 方案核查
plandoc-checklist-header = | 核查项 | 要求 | 结论 | 核查结果 |
plandoc-met = 符合
plandoc-not-met = **不符合**
plandoc-checklist-note = 核查结果列出不符合要求之处或符合要求的依据；同名 JSON 文件（checklist）中为其英文原文。

## 核查项及要求（sim/src/plan/checklist.rs 的 item）
plandoc-check-control = 对照断面
plandoc-check-control-req = 事发点上游设对照（背景）断面
plandoc-check-site = 事发点
plandoc-check-site-req = 事发点设监测点位
plandoc-check-downstream = 下游断面
plandoc-check-downstream-req = 事发点下游按一定间距设断面，至少一个距事发点 10 km 以上（HJ/T 91）
plandoc-check-intakes = 饮用水水源地取水口
plandoc-check-intakes-req = 污染团可能到达的饮用水水源地取水口均须布点（必测）
plandoc-check-border_sections = 跨界断面
plandoc-check-border_sections-req = 污染团可能到达的跨界断面均须布点
plandoc-check-verticals = 采样垂线
plandoc-check-verticals-req = 按河宽设采样垂线：≤ 50 m 设 1 条，≤ 100 m 设 2 条，以上设 3 条（取水口在取水口处采样）
plandoc-check-layers = 采样层次
plandoc-check-layers-req = 按水深设采样层次：≤ 5 m 取表层，≤ 10 m 取表层和底层，以上取表、中、底三层
plandoc-check-lake = 湖库布点
plandoc-check-lake-req = 湖库事件：事发点周边按水流方向布点，出湖口布点
plandoc-check-flow = 流量
plandoc-check-flow-req = 对照断面和跨界断面同步测流
plandoc-check-sediment = 沉积物
plandoc-check-sediment-req = 污染物易吸附于沉积物时采集沉积物样品
plandoc-check-method = 分析方法
plandoc-check-method-req = 方法检出限低于各点位的标准限值
plandoc-check-confirmation = 实验室确认
plandoc-check-confirmation-req = 现场快速监测结果由实验室方法确认
plandoc-check-qa_qc = 质量控制
plandoc-check-qa_qc-req = 平行样、现场空白、样品流转记录
plandoc-check-owners = 责任分工
plandoc-check-owners-req = 每个点位有责任单位（区县）和监测小组
plandoc-check-express_reports = 快报
plandoc-check-express_reports-req = 每轮采样后报出应急监测快报

## 断面类型
plandoc-role-intake = 饮用水水源地取水口
plandoc-role-border_section = 跨界断面
plandoc-role-release_site = 事发点
plandoc-role-upstream_control = 对照断面
plandoc-role-downstream = 控制断面（下游）
plandoc-role-lake_fan = 湖区监测点位
plandoc-role-outlet = 出湖口
plandoc-role-section = 监测断面

## 方案自动生成的点位的名称
plandoc-name-control = 事发点上游对照断面
plandoc-name-site = 事发点
plandoc-name-down = 事发点下游 { $km } km 断面
plandoc-name-lake-cell = { $lake }第 { $cell } 监测区
plandoc-name-outlet = { $lake }出湖口（入{ $reach }）
plandoc-name-of-incident = { $incident }·{ $point }

## 位置、垂线与层次
plandoc-place-reach = { $reach }，里程 { $chainage_m } m
plandoc-place-lake = { $lake }第 { $cell } 区
plandoc-vertical-left = 左
plandoc-vertical-centre = 中
plandoc-vertical-right = 右
plandoc-layer-surface = 表层
plandoc-layer-middle = 中层
plandoc-layer-bottom = 底层
plandoc-yes = 是
plandoc-no = 否
plandoc-list-separator = 、

## 现场采样计划表（CSV）：列与 en 相同，表头与取值为中文（编号、时间、坐标不变）
plandoc-csv-header = 计划时间_秒,计划时间,样品类型,点位编号,点位名称_英文,点位名称,断面类型,责任单位,监测小组,交通节点,经度,纬度,监测项目,分析方法,标准限值_mg/L,预计到达时间_秒,采样垂线,采样层次,采样瓶数,测流,平行样
plandoc-kind-water = 水样
plandoc-kind-sediment = 沉积物样
plandoc-kind-field_blank = 现场空白样

## 核查结果（sim/src/plan/checklist.rs 各核查项的 findings）
hj589-control-missing = 事发点上游未设对照断面
hj589-control-count = 设对照断面 { $count } 个
hj589-control-impossible = 事发点无上游来水，无法设对照断面
hj589-site-missing = 事发点未设监测点位
hj589-site-sampled = 事发点已布点采样
hj589-downstream-missing = 未设下游断面
hj589-downstream-near = 最远的下游断面距事发点仅 { $km } km
hj589-downstream-count = 设下游断面 { $count } 个，最远距事发点 { $km } km
hj589-reached-not-sampled = 污染团可能到达{ $point }，但未布点采样
hj589-in-plan = 方案已布设 { $count } 个
hj589-verticals-few = { $point }：河宽 { $width_m } m，仅设采样垂线 { $count } 条
hj589-verticals-three = { $count } 个点位设左、中、右 3 条采样垂线
hj589-layers-few = { $point }：水深 { $depth_m } m，仅设采样层次 { $count } 个
hj589-layers-fit = 各点位的采样层次均与水深相符
hj589-lake-not = 非湖库事件
hj589-lake-cell-missing = { $lake }第 { $cell } 监测区未布点
hj589-lake-outlet-missing = 入{ $reach }的出湖口未布点
hj589-lake-covered = { $count } 个监测区及各出湖口均已布点
hj589-flow-missing = { $point }：未同步测流
hj589-flow-count = { $count } 个断面同步测流
hj589-sediment-missing = { $point }：未采集沉积物样品
hj589-sediment-count = 采集沉积物样品 { $count } 个
hj589-sediment-not-binding = { $pollutant }不易吸附于沉积物，不采集沉积物样品
hj589-method-above-limit = { $point }：方法检出限 { $detection_limit } mg/L，不低于标准限值 { $limit } mg/L
hj589-method-ok = { $method }，检出限 { $detection_limit } mg/L
hj589-confirmation-missing = 采用现场监测方法，但无实验室分析确认
hj589-confirmation-not-laboratory = { $method }不是实验室分析方法
hj589-confirmation-ok = 超标、无法判定和首个现场监测结果以及每 { $every } 个结果中的 1 个由{ $method }进行实验室分析确认
hj589-confirmation-not-needed = 采用实验室分析方法，无需确认
hj589-qa-no-duplicate = { $point }：未采集平行样
hj589-qa-no-custody = 无样品流转记录
hj589-qa-no-blanks = 未采集现场空白样
hj589-qa-ok = 每个点位每 { $every } 个样品采集 1 个平行样，每个监测小组每天采集现场空白样 { $blanks } 个，填写样品流转单
hj589-owners-no-team = { $point }：无监测小组
hj589-owners-ok = 公路可达的点位均有监测小组
hj589-express-slower = 快报每 { $report_min } 分钟一期，慢于每 { $round_min } 分钟一轮的采样
hj589-express-every = 每 { $minutes } 分钟一期
