# 指挥控制台（tui/src/console/）：面板、表单、帮助、按键提示、状态行。
# 参数写作 `{ $name }`，翻译时须全部保留。
# 术语依 HJ 589-2021《突发环境事件应急监测技术规范》与 GB 3838-2002《地表水环境质量标准》。

## 面板（标签、标题）

panel-incidents = 事件
panel-plan = 应急监测方案
panel-teams = 监测小组
panel-results = 监测结果
panel-inbox = 收件箱
panel-log = 事件日志
panel-source = 溯源

## 标题栏与终端过小提示

too-small = 终端为 { $width }×{ $height }：控制台至少需要 { $min_width }×{ $min_height }。请放大窗口，或按 q 退出。
state-replay = 回放
state-paused = 已暂停
state-running = 运行中
header-dispatch = { $policy }调度
header-seat = 席位：{ $seat }
header-live-title = 实时处置 — { $zone }
header-controller-view = [导调视图]
seat-command = 联合指挥部
seat-controller = 导调
seat-jurisdiction = 属地 { $jurisdiction }
seat-evaluator = 评估员
seat-observer = 观察员
speed-real-time = 实时
speed-fastest = 最快
policy-unified = 统一
policy-county = 属地

## 事件

incidents-none = 事件 — 尚无已知事件
incidents-plan = 方案第{ $revision }版（{ $mass_kg } kg）
incidents-plan-pending = 方案待发布
col-incident = 事件
col-where = 属地
col-pollutant = 污染物
col-level = 级
col-known-since = 获知时间
col-plan = 方案

## 监测小组

col-team = 小组
col-doing = 状态
col-until = 预计至
col-team-jurisdiction = 属地
col-place = 位置
col-vehicle = 交通工具
activity-idle = 待命
activity-driving = 在途
activity-sampling = 采样中
activity-out-of-service = 停用

## 应急监测方案

plan-none-live = 尚无方案：请申报事件（I），准备时间过后即发布其监测方案。
plan-none = 尚无方案：获知事件后即发布监测方案。
role-intake = 取水口
role-border = 省界断面
role-site = 事发点
role-upstream = 对照断面
role-downstream = 下游断面
role-section = 监测断面
role-lake = 湖区点位
role-outlet = 出湖口
status-planned = 计划
status-due = 应采样
status-assigned = 已派员
status-late = 逾期
status-done = 已完成
result-over = 超标
result-awaited = 待出结果 { $count } 个
plan-approved = { $at } 已批准
plan-proposed = 待批准
plan-proposed-hint = 待批准（A 批准）
plan-title-compact = 方案 — { $incident } 第{ $revision }版 { $approval } · { $mass_kg } kg
plan-title = 应急监测方案 — { $incident } 第{ $revision }版 { $approval } · 按 { $mass_kg } kg 估算 · { $method }
col-point = 监测点位
col-due = 应采
col-status = 状态
col-role = 类型
col-owner = 负责方
col-every = 频次
col-next-due = 下次采样
col-last-mg-l = 最新 mg/L
every-min = { $minutes } 分钟

## 监测结果

results-over = 超标 ×{ $ratio }
results-not-conclusive = 无法判定
results-within = 达标
results-confirms = { $method } @ { $where }（复核 #{ $field }）
results-method = { $method } @ { $where }
results-title = 监测结果 — 已知 { $count } 个（按采样时间，最新在前）
col-taken = 采样时间
col-limit = 标准限值
col-class = 类别
col-method = 方法 @ 地点

## 收件箱、日志、曲线、地图

inbox-title = 收件箱 — 待确认 { $open } 条
inbox-item = { $at } #{ $number } { $from } → { $to }（{ $channel }）
log-title = 事件日志（最新在前）
chart-none = 在方案中选择一个点位（2、↑↓、回车），即显示其预测浓度、标准限值和监测结果。
chart-empty-title = 预测
chart-title = { $point } — { $pollutant } [mg/L]，标准限值 { $limit }
chart-forecast = 预测
chart-limit = 限值
chart-results = 结果
chart-now = 当前
chart-truth = 真实
map-legend-truth = 污染团：■ <10% ■ <100% ■ 超标
map-legend = I 取水口，B 省界断面，S 监测站；✖ 事件；小组以首字母标示
map-title = 地图 — { $legend }
map-title-zoom = 地图 ×{ $zoom } — { $legend }
map-title-short = 地图
map-title-zoom-short = 地图 ×{ $zoom }
help-map = 地图

## 表单

form-title = { $title } — 回车提交，esc 取消
form-status = 表单：输入（ctrl-u 清空），tab 切换，←/→ 选择，回车提交，esc 取消
form-add-point = 向{ $incident }的方案增加监测点位
form-interval = { $point }的监测频次
form-declare = 申报事件
form-revise = 修订 { $incident }
form-result = 录入{ $incident }的监测结果
form-observe = 评估记录（写入演练评估报告）
field-point = 监测点位
field-every = 间隔（分钟）
field-taken-at = 采样时间
field-mg-l = mg/L
field-place = 地点
field-pollutant = 污染物
field-mass = 质量（kg）
field-released-at = 排放时间
field-about = 对象
field-observation = 观察记录
hint-add-point = ←/→ 浏览方案尚未监测的点位
hint-every = 污染团经过期间；←/→ 或输入 5 至 1440
hint-result-point = ←/→ 浏览方案的点位，或输入编号
hint-clock = HH:MM 或 D2 HH:MM
hint-mg-l = 实测浓度；低于检出限时填 未检出、ND、<DL 或 <0.005
hint-place = 风险源、点位或节点编号，或 河段@里程_米
hint-pollutant = ←/→ 浏览情景中的污染物
hint-mass = 估算的排放质量
hint-released-at = 估算时间：HH:MM 或 D2 HH:MM
hint-about = ←/→ 选择席位、小组或点位，或直接输入
hint-observation = 所见情况：连同时间和评估席位写入评估报告

## 帮助

help-title = 按键 — ? 或 Esc 关闭
key-pause = 暂停 / 继续演练
key-pause-short = 暂停
key-step = 单步执行一个事件（并暂停）
key-faster = 加速（实时至最快）
key-faster-short = 加速
key-slower = 减速
key-next-panel = 下一个面板
key-next-panel-short = 切换
key-panel-1 = 事件
key-panel-2 = 应急监测方案
key-panel-3 = 监测小组
key-panel-4 = 结果（现=现场，实=实验室）
key-panel-5 = 演练信息收件箱
key-panel-6 = 事件日志
key-panel-7 = 污染源研判
key-down = 在面板中下移
key-up = 在面板中上移
key-select = 选择：看方案或曲线，按研判修订
key-select-short = 选择
key-zoom-in = 放大地图（以所选点位为中心）
key-zoom-out = 缩小地图
key-pan-west = 地图向西移
key-pan-east = 地图向东移
key-pan-north = 地图向北移
key-pan-south = 地图向南移
key-reset-map = 地图显示全区
key-acknowledge = 确认所选演练信息
key-acknowledge-short = 确认
key-sample = 立即在所选点位加采样品
key-sample-short = 加采
key-close-intake = 建议关闭所选取水口
key-reopen-intake = 建议恢复所选取水口取水
key-notify = 通报事件下游的属地
key-media = 发布媒体通稿
key-release-adhoc = 发出下一条临时注入信息（导调）
key-dispatch = 派选定小组（3 中回车）前往点位
key-switch-policy = 切换调度方式（属地 ↔ 统一）
key-approve = 批准所示方案（当前版本）
key-add-point = 增加方案尚未监测的点位
key-remove-point = 从方案中删除所选点位
key-interval = 修改所选点位的监测频次
key-mutual-aid = 请求其他属地支援该点位
key-declare = 实战：申报事件
key-declare-short = 申报
key-revise = 实战：修订事件（地点、质量等）
key-revise-short = 修订
key-enter-result = 实战：录入监测结果
key-enter-result-short = 录入
key-observe = 评估员：记录评估观察
key-observe-short = 记录
key-truth = 导调视图：模拟污染团与真实情况
key-save = 保存日志文件
key-help = 帮助
key-help-short = 帮助
key-quit = 退出
key-quit-short = 退出

## 状态行

status-start = 已暂停 — 按空格开始
status-replay-start = 回放（只读）：按空格播放所记录的会话
status-live-start = 实时处置：按 I 报告事件，按 e 录入监测结果，按 ? 查看全部按键
status-ended = 演练已结束
status-journal-saved = 日志已保存到 { $path }
status-journal-unsaved = 无法将日志保存到 { $path }：{ $problem }
status-paused = 已暂停
status-running = 运行中
status-stepped = 已单步执行一个事件
status-speed = 速度 { $speed }
status-truth-on = 导调视图：显示模拟的真实情况
status-truth-off = 参演视图：只显示参演人员已知的信息
status-read-only = 回放：只读
status-plan-of = { $incident }的方案
status-team-chosen = 已选定 { $team }：在方案（2）中选择点位后按 d
status-chart = 曲线：{ $point }
status-map-whole = 地图：全区
status-map-zoom = 地图：×{ $zoom }，中心 { $lon }°E { $lat }°N（0：全区）
status-acknowledged = 演练信息 { $number } 已确认
status-already-acknowledged = 演练信息 { $number } 此前已确认
status-inbox-empty = 收件箱为空（按 5 查看）
status-sample-asked = 已要求在 { $point } 加采样品
status-select-named-point = 请先在方案（2）中选择一个命名点位
status-closing-advised = 已建议关闭 { $point }
status-reopening-advised = 已建议恢复 { $point } 取水
status-select-intake = 请先在方案（2）中选择一个取水口
status-notified = 已向 { $names } 通报 { $incident }
status-no-incident = 尚无已知事件
status-media = 已发布媒体通稿
status-sent = 已派 { $team } 前往 { $point }
status-choose-team = 请先选择小组：按 3，再在小组上回车
status-select-point = 请先在方案（2）中选择一个点位
status-policy = 调度方式：{ $policy }
status-already-approved = 第{ $revision }版此前已批准（{ $by }，{ $at }）
status-approved = { $incident }的方案第{ $revision }版已批准
status-no-plan-to-approve = 尚无待批准的方案
status-removed = 已从方案中删除 { $point }（按 i 可加回）
status-help-asked = 已请求支援 { $point }
status-adhoc-released = 临时注入信息 { $number } 已发出
status-no-adhoc = 没有可发出的临时注入信息
status-live-only = 仅限实战模式：tripoint console 情景.toml --live
status-no-plan-to-add = 尚无可增加点位的方案
status-all-points-in = 所有点位均已在方案中
status-no-incident-declared = 尚未申报事件：按 I 申报
status-no-plan-for-results = 尚无方案：监测结果须录入方案的点位
status-cancelled = 已取消
status-declared = 已申报：{ $place } { $pollutant } { $mass_kg } kg
status-revised = 已修订：{ $place } { $pollutant } { $mass_kg } kg
status-result-entered = 已录入：{ $point }（{ $at }）{ $mg_l } mg/L
status-result-non-detect = 已录入：{ $point }（{ $at }）未检出，按方法检出限计
status-result-below = 已录入：{ $point }（{ $at }）未检出（检出限 { $mg_l } mg/L）
status-interval-set = { $point }：污染团经过期间每 { $minutes } 分钟一次
status-point-added = 已将 { $point } 加入方案
status-observed = 已记录评估观察
status-observed-about = 已记录关于{ $about }的评估观察
status-evaluator-only = 仅评估席位可记录评估观察
incident-number = 事件 { $number }

## 表单问题

error-unknown-point = 监测点位：{ $point } 既不在方案中，也不是命名点位
error-later-than-now = 采样时间：{ $at } 晚于当前时间
error-negative = mg/L：浓度不能为负
error-not-a-result = mg/L：{ $text } 既不是浓度也不是未检出（未检出、ND、<DL、<0.005）
error-not-minutes = 间隔（分钟）：{ $text } 不是整数分钟
error-interval-range = 间隔（分钟）：应为 { $min } 至 { $max }
error-not-addable = 监测点位：{ $point } 不是方案可增加的点位
error-observation-empty = 观察记录：请填写所见情况
error-about-too-long = 对象：最多 { $max } 个字符
error-required = { $field }：必填
error-not-a-number = { $field }：{ $text } 不是数字
error-not-a-time = { $field }：{ $text }：应为 HH:MM 或 D2 HH:MM

## 连接演练服务器的控制台

status-evaluator-read-only = 评估席位不参与处置：按 O 记录评估观察
status-seat-read-only = 此席位为只读：只观看演练，不操作
status-remote-read-only = { $seat }，服务器 { $addr }：只读席位（{ $role }）：只观看，不操作
status-remote-evaluator = { $seat } 已连接 { $addr }：评估席位，只观摩；按 O 记录评估观察
status-remote-controller = { $seat }，服务器 { $addr }（导调）：按空格启动服务器时钟
status-remote-seat = { $seat }，服务器 { $addr }（{ $role }）：时钟由导调控制
remote-done = #{ $id } 已完成{ $again }
remote-applied = #{ $id } { $detail }{ $again }
remote-refused = #{ $id } 被拒绝：{ $detail }{ $again }
remote-answered-before = （此前已答复）
remote-no-step = 单步运行只用于控制台自己的演练：本演练由服务器的时钟运行
remote-server-journal = 本演练的日志由服务器保存
remote-lost = 连接中断（{ $why }）；正在重新连接 { $addr }
remote-connected-again = 已重新连接 { $addr }
remote-seat-refused = 服务器拒绝了该席位：{ $reason }；按 q 退出
remote-unreadable-view = 本控制台无法读取的视图：{ $problem }

## 污染源研判（由已知监测结果溯源）

source-none = 溯源 — 尚无研判：已知事件有监测结果后即研判
source-title = 溯源 — { $incident } { $pollutant }（{ $index }/{ $count }）
source-summary = 结果 { $results } 个，检出 { $detected } 个，最新 { $time }
source-updating = 更新中…
source-pending = 正在研判 { $results } 个结果…
source-no-results = 尚无{ $pollutant }监测结果：有了首批结果即研判污染源。
source-all-clean = { $results } 个结果均低于检出限：暂无可溯源的检出。
source-failed = 无法研判污染源：{ $reason }
source-col-place = 可疑污染源
source-col-probability = 概率
source-col-start = 排放开始 5–50–95 %
source-col-start-short = 开始 5–95 %
source-col-mass = 排放量 5–50–95 % [kg]
source-col-mass-short = kg 5–95 %
source-col-intake = 取水口
source-col-reach = 波及
source-col-p10 = P10
source-col-p50 = P50
source-col-p90 = P90
source-threatened = { $intake }（受威胁）
source-next-sample = 建议下一采样：{ $point }，{ $time }（{ $share } 的抽样可检出），以缩小{ $target }到达时间的不确定性。
source-no-advice = 暂无采样建议：无受威胁的取水口或跨界断面，或再采样也无助于判断。

source-offer-place = 结果指向 { $place }（p = { $probability }）；申报为 { $declared }。
source-offer-start = 结果估计排放开始于 { $start }（5–95 % { $from }–{ $to }）；申报为 { $declared }。
source-offer-key = 回车：修订为 { $place }，{ $start }，{ $mass_kg } kg（表单确认）。
status-offer-place = { $incident }：结果指向 { $place }（p = { $probability }）
status-offer-start = { $incident }：结果估计排放开始于 { $start }
status-offer-key = { $what }：按 7 再回车修订
status-no-offer = 无修订建议：结果与申报一致，或尚不足以判断
form-revise-offer = 按结果修订 { $incident }

## The event log's lines: the clock, who, and what they did, joined as the language
## joins a speaker to what is said ("：" in Chinese).
log-line = { $at } { $who }：{ $what }

## A result's mark in the results panel, kept at every width (tui/src/console/render/results.rs),
## and a form's choice by its name with the id that is typed (render/form.rs).
results-mark-field = 现
results-mark-lab = 实
form-choice-named = { $name }（{ $id }）
