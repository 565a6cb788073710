# 命令行（tui/src/main.rs 与各子命令）：错误信息的前缀，以及各命令共用的提示。

error-prefix = 错误：{ $message }
internal-error-prefix = 内部错误：{ $message }
no-terminal =
    控制台需要终端（标准输入和标准输出不是终端）。无界面命令：
      tripoint drill two-incidents --report out/   运行演练并写出演练评估报告
      tripoint run [情景] [--policy county]        运行情景中的事件并输出各项指标
      tripoint forecast [情景]                     预测一次排放
      tripoint replay 日志文件                     重新运行日志文件并逐条核对
      tripoint --help                              其他全部命令

## 应急监测快报（`run --plans`、`drill --plans`：express-事件.md）

express-title = # 突发环境事件应急监测快报 — { $incident }
express-heading = ## 第 { $number } 期 — { $at }（响应级别：{ $level } 级）
express-counts = - 本期新增{ $pollutant }监测结果 { $new } 个；待分析样品 { $pending } 个；无法判定 { $inconclusive } 个。
express-none-over = - 本期新增监测结果均未超过标准限值。
express-over = - **{ $point }**：{ $mg_l } mg/L，为标准限值的 { $times } 倍（超标 { $exceedance } 倍）。
express-intake = - { $point }（饮用水水源地）：最新有效监测结果 { $mg_l } mg/L，采样时间 { $at }。
express-intake-none = - { $point }（饮用水水源地）：尚无有效监测结果。

# tripoint export geojson / import geojson（见 docs/gis.md）。
export-geojson-written = 已将 { $count } 个 GeoJSON 图层写入 { $dir }（WGS84 坐标；污染带时刻 { $at }）。
import-geojson-written = 情景骨架已写入 { $file }：请替换所有标有 FILL IN 的占位值，然后运行 `tripoint check { $file }`。

# 标准错误输出上的进度信息（identify、plan evaluate）。
progress-unit-responses = 单位响应：输移计算 { $runs } 次，{ $cache }
progress-unit-responses-timed = 单位响应：输移计算 { $runs } 次，{ $cache }，用时 { $seconds } s
progress-no-cache = 未使用缓存
progress-cache-read = 从缓存 { $dir } 读取 { $hits } 个
progress-cache-rejected = （{ $count } 个无法读取的条目已重新计算）
progress-cache-over-bound = ；本次运行自身的条目占 { $own } GiB，超过缓存上限（{ $max } GiB）：已全部保留，较早的条目均已删除
progress-trials = 试验：{ $done }/{ $total }（{ $seconds } s）
progress-trials-rate = { $trials } 次试验 × { $policies } 种调度方式，用时 { $seconds } s：每秒 { $rate } 次试验（{ $threads } 个线程）

## 演练服务器对各席位的答复（tui/src/serve/）：拒绝连接、错误、时钟控制和被拒绝的操作，
## 使用席位 hello 中指定的语言。

srv-unknown-lang = 本服务器不支持语言 { $lang }（支持 en 和 zh-CN）
srv-no-hello = { $seconds } 秒内未收到 hello
srv-unreadable-frame = 无法读取的数据帧：{ $problem }
srv-protocol = 本服务器不支持协议版本 { $protocol }（本服务器使用版本 { $speaks }）
srv-hello-first = 第一条消息必须是 hello
srv-not-hello = 不是 hello：{ $problem }
srv-unknown-seat = 席位不存在或令牌错误
srv-shutting-down = 服务器正在关闭
srv-hello-again = 重复的 hello：该连接已建立
srv-too-many-unreadable = 无法读取的消息超过 { $max } 条
srv-unreadable-message = 无法读取的消息：{ $problem }
srv-too-many-actions = 操作过于频繁：每秒最多 { $rate } 次（一次最多 { $burst } 次）
srv-connected-elsewhere = 该席位已在别处重新连接
srv-full = 服务器连接已满（{ $max } 个连接）
srv-json-syntax = JSON 语法错误（第 { $line } 行第 { $column } 列）
srv-json-eof = JSON 不完整（第 { $line } 行第 { $column } 列）
srv-json-io = 无法读取该消息
srv-json-missing-field = 缺少字段 `{ $field }`（第 { $line } 行第 { $column } 列）
srv-json-unknown-field = 未知字段 `{ $field }`（第 { $line } 行第 { $column } 列）
srv-json-unknown-variant = 未知的取值 `{ $value }`（第 { $line } 行第 { $column } 列）
srv-json-data = 字段或取值与协议不符（第 { $line } 行第 { $column } 列）
srv-io-invalid-data = 数据帧超过长度上限或格式无效
srv-io-eof = 连接在数据帧中途中断
srv-io-reset = 连接被重置
srv-io-timeout = 读取超时
srv-io-other = 无法读取数据帧
srv-full-retry = 服务器连接已满（{ $max } 个连接），请 { $seconds } 秒后重试
srv-id-not-new = 操作编号 { $id } 不是新编号，也不在最近答复的 { $kept } 个之中：同一席位的操作编号必须递增（上一个为 { $highest }）
srv-simulation-failed = 模拟出错：{ $problem }
srv-not-handled = 内部错误：操作未被处理
srv-clock-controller = 只有导调人员可以控制演练时钟
srv-ended = 演练已结束
srv-pause-at-past = pause_at { $at }：不晚于演练当前时间（当前为 { $now } 秒，{ $clock }）
srv-paused = 已暂停
srv-running = 运行中
srv-speed = 速度 { $speed }
srv-pauses-at = 将在 { $at } 暂停

# The exercise server's own log on standard error, for its operator.
srvlog-waiting = { $drill }：{ $seats } 个席位；等待导调人员启动演练时钟（速度 { $speed }）；态势看板：{ $url }
srvlog-live = { $drill }：{ $seats } 个席位；实时处置：时钟自 { $start } 起运行（速度 { $speed }）；态势看板：{ $url }
srvlog-connected = { $seat }（{ $role }）已连接
srvlog-disconnected = { $seat } 已断开
srvlog-stopping = 正在停止
srvlog-journal-closed = 日志已关闭（共 { $lines } 行）
srvlog-report-written = 演练评估报告已写入 { $dir }（文件 { $files } 个，评估意见 { $observations } 条）
srvlog-refused-seat = 拒绝席位 { $seat }：席位不存在或令牌错误
srvlog-action = { $seat }（{ $clock }）：{ $what }
srvlog-recording = 演练写入数据库 { $db }，运行编号 { $run }
srvlog-insecure = 警告：以明文 TCP 监听 { $addr }（--insecure-plain）：令牌和演练内容未加密传输，仅限可信网络使用
srvlog-accept-failed = 无法接受连接：{ $problem }
srvlog-tls-failed = TLS 握手失败：{ $problem }
srvlog-tls-timeout = { $seconds } 秒内未完成 TLS 握手
srvlog-catch-up = 实时时钟追赶墙上时钟：{ $from } → { $to }
srvlog-version = 注意：该日志由版本 { $journal } 写入，当前版本为 { $this }
srvlog-ended = 演练已于 { $clock } 结束
srvlog-simulation-stopped = 错误：模拟已停止：{ $problem }；时钟已暂停
srvlog-action-failed = 错误：执行 { $seat } 的操作时模拟出错：{ $problem }
srvlog-not-handled = 内部错误：{ $seat } 的操作 { $id } 未被处理
srvlog-journal-failed = 错误：无法写入日志：{ $problem }；演练继续，但不再记录日志
srvlog-report-failed = 错误：无法将报告写入 { $dir }：{ $problem }
srvlog-journal-close-failed = 错误：无法关闭日志：{ $problem }
srvlog-resume-version = 注意：{ $journal } 由版本 { $version } 写入，当前版本为 { $this }；将逐行核对
srvlog-resume-cut = 注意：{ $journal }:{ $line }：最后一行不完整（服务器在写入时停止）：该行将被丢弃，重放时重新写入
srvlog-resume-closed = 注意：{ $journal }：该日志在服务器停止时已关闭；删除其结束记录后演练继续
srvlog-resumed = { $journal }：{ $lines } 行重放结果一致（席位操作 { $actions } 次）；演练在 { $clock } 暂停，等待继续
srvlog-resumed-again = { $journal }：{ $lines } 行重放结果一致（席位操作 { $actions } 次），其后重新写入 { $again } 行；演练在 { $clock } 暂停，等待继续
srv-closed-writing = 写入时连接关闭：{ $problem }
srv-write-stalled = 连接关闭：{ $seconds } 秒内数据未能发出（客户端已停止读取）

# 应急监测数据库的记录器（演练、控制台、服务器）。
db-recorded = 已记录为数据库 { $db } 中的运行 { $run }（样品 { $samples } 个，结果 { $results } 个，警告 { $warnings } 条）
db-written-again = 数据库 { $db } 已恢复写入
db-write-failed = 错误：无法将运行 { $run } 写入数据库 { $db }：{ $problem }；会话继续，并在下次变化时重新写入
db-recorded-run = 已记录为数据库 { $db } 中的运行 { $run }（样品 { $samples } 个，任务 { $tasks } 个）
db-recorded-drill = 已记录为数据库 { $db } 中的运行 { $run }（样品 { $samples } 个，评分 { $ratings } 项）
db-upgraded = { $db }：数据库结构已升级到版本 { $version }（{ $engine } 数据库）

# clap 的命令行用法错误（cli_error.rs）。
cli-usage-invalid-value = 参数 { $arg } 的取值“{ $value }”无效
cli-usage-valid-values = ；可选值：{ $values }
cli-usage-value-problem = 参数 { $arg } 的取值“{ $value }”无效：{ $problem }
cli-usage-unknown-argument = 未知参数“{ $arg }”
cli-usage-unknown-subcommand = 未知子命令“{ $subcommand }”
cli-usage-missing = 缺少必需的参数：{ $args }
cli-usage-missing-subcommand = 缺少子命令
cli-usage-conflict = 参数 { $arg } 不能与 { $other } 同时使用
cli-usage-value-count = 参数 { $arg } 的取值个数不对（给出 { $actual } 个）
cli-usage-no-equals = 参数 { $arg } 的取值须用“=”给出
cli-usage-other = 命令行有误：{ $english }
cli-usage-suggest = 提示：是否想用“{ $suggested }”？
cli-usage-usage = 用法：{ $usage }
cli-usage-more = 更多信息请运行“--help”。
cli-usage-not-integer = 不是整数
cli-usage-not-number = 不是数字

## 命令帮助（--help）中由 clap 自己写出的部分（tui/src/cli_help.rs）。

help-heading-usage = 用法：
help-heading-commands = 命令：
help-heading-arguments = 参数：
help-heading-options = 选项：
help-value-command = 命令
help-value-options = [选项]
help-default = [默认：{ $value }]
help-possible-values = [可选值：{ $values }]
help-possible-values-heading = 可选值：
help-list-separator = 、
help-flag-help = 显示帮助
help-flag-help-more = 显示帮助（--help 显示详细说明）
help-flag-help-summary = 显示帮助（-h 显示摘要）
help-flag-version = 显示版本号
help-subcommand-help = 显示本帮助或所给子命令的帮助

## tripoint drill --plan-edits：方案调整文件中各项调整的结果（tui/src/commands/drill.rs）。

drill-plan-edits-heading = 方案调整文件 { $file } 的执行结果：
drill-plan-edit-line = 第 { $line } 行
drill-plan-edit-applied = 已执行：{ $outcome }
drill-plan-edit-refused = 被拒绝：{ $outcome }
drill-plan-edit-not-made = 被拒绝：该席位未能提出此项调整
tl-request-add = 增设{ $point }
tl-request-remove = 撤除{ $point }
tl-request-interval = { $point }每 { $every } min 采样一次
tl-request-mutual-aid = 就{ $point }请求支援
tl-request-approve = 批准第 { $revision } 版
tl-request-approve-current = 批准现行版本

## 表单或命令行中输入的、情景中不存在的地点（sim/src/scenario/mod.rs 的 LocationError）。

tl-place-no-node = 没有名为“{ $node }”的节点
tl-place-not-a-lake = “{ $node }”不是湖泊：只有湖泊才有网格
tl-place-no-such-cell = “{ $lake }”的湖泊网格“{ $cell }”：请填写 1（入流端）至 { $cells }（出口）之间的数字
tl-place-no-reach = 没有名为“{ $reach }”的河段
tl-place-chainage-not-a-number = 里程“{ $chainage }”不是以米计的数字
tl-place-chainage-outside = 里程 { $chainage } m 超出河段“{ $reach }”的范围（0 至 { $length } m）
tl-place-reach-without-chainage = “{ $reach }”是河段：请给出里程，如 { $reach }@1000
tl-place-unknown = 没有名为“{ $place }”的节点、河段或点位
cli-usage-unknown-language = “{ $value }”：应为 zh-CN 或 en

## `tripoint forecast` and `tripoint identify`: their flags' and the results file's
## problems (tui/src/commands/forecast.rs, identify.rs), and the output checks that every
## command shares (tui/src/input.rs). Exit code 2.

arg-number-from-to = { $flag } { $value }：请填写 { $low } 至 { $high } 之间的数
arg-give-from-to = { $flag } { $value }：请填写 { $low } 至 { $high }
arg-choice-named = { $id }（{ $name }）
arg-list-separator = 、
arg-output-folder-not-file = { $flag } { $path }：这是文件夹，不是文件
arg-output-no-folder = { $flag } { $path }：文件夹 { $folder } 不存在
arg-output-cannot-write = { $flag } { $path }：无法写入：{ $cause }
arg-output-file-not-folder = { $flag } { $path }：这是文件，不是文件夹
arg-output-cannot-create = { $flag } { $path }：无法创建：{ $cause }
fc-arg-flow-unknown = --flow：未知的水文情势“{ $regime }”（已有：{ $known }）
fc-arg-hours = --hours 必须为正数且不超过 { $max }，实际为 { $value }
fc-arg-needs-release = { $flag } 描述的是排放：请同时给出 --release
fc-arg-release = --release：{ $problem }
fc-arg-release-needs = --release 还需要 { $flag }
fc-arg-pollutant-unknown = --pollutant：未知的污染物“{ $pollutant }”（已有：{ $known }）
fc-arg-mass = --mass-kg 必须在 { $low } 至 { $high } kg 之间，实际为 { $value }
fc-arg-duration = --duration-min 必须在 0（瞬时排放）至 { $max }（一年）之间，实际为 { $value }
fc-arg-flow-change-form = --flow-change：格式应为 HH:MM=水文情势，实际为“{ $text }”
fc-arg-flow-change-unknown = --flow-change：未知的水文情势“{ $regime }”（已有：{ $known }）
fc-arg-clock = { $flag }：时间格式应为 HH:MM 或 `D2 08:00`，实际为“{ $text }”
fc-arg-members = --members：集合预测的成员数应为 1 至 { $max }，实际为 { $value }
fc-arg-spread = --spread-{ $input }：该项的扰动（对数标准差）应为 0 至 { $max }，实际为 { $value }
fc-error-no-release = 无可预测的排放：情景中没有排放，请给出 --release
fc-error-not-finite = { $pollutant }的输移计算得出非有限数值（NaN 或 ∞）：排放或河网超出模型可表示的范围
id-arg-error-absolute = --error-absolute { $value }：请填写大于 0、不超过 1e6 的数（mg/L）
id-arg-error-timing = --error-timing-min { $value }：请填写 0 至 { $max } 分钟
id-arg-start-step = --start-step-min { $value }：请填写 1 至 1440 分钟
id-arg-durations = --durations-min：请填写 0 至 { $max } 分钟，以逗号分隔
id-arg-sources = --sources { $value }：请填写 1 或 2
id-arg-flow-unknown = --flow 的取值“{ $regime }”：没有该水文情势（情景中有：{ $known }）
id-arg-nothing-detected = 所有结果均低于检出限：没有检出，无从溯源
id-arg-since-form = --since 的取值“{ $text }”：请填写 HH:MM 或 `D2 08:00`
id-arg-since-late = --since { $since }：晚于首次检出（{ $first }）；排放必须在被检出之前开始
id-results-empty = 文件为空：第一行应为列名 `point,pollutant,taken_at,value_mg_l,detection_limit_mg_l`
id-results-columns = 第 1 行：列名为 `{ $found }`；应为 `{ $expected }`
id-results-line = 第 { $line } 行：{ $problem }
id-results-too-many = 结果超过 { $max } 条
id-results-bad-rows = 有 { $total } 行无效，未使用任何结果：
id-results-more = … 另有 { $n } 行
id-results-none = 列名行之下没有结果
id-results-fields = 有 { $found } 个字段；应为 { $expected } 个
id-results-point = 点位“{ $point }”：{ $problem }
id-results-pollutant = 情景中没有污染物“{ $pollutant }”
id-results-taken-at = taken_at“{ $text }”：请填写第 1 天的 HH:MM 或 `D2 08:00`
id-results-not-concentration = { $column }“{ $text }”不是以 mg/L 计的浓度（0 至 1e6）
id-results-not-value = value_mg_l“{ $text }”不是以 mg/L 计的浓度（0 至 1e6），也不是未检出（nd、<DL、<0.03、未检出）

## What a command wrote, on standard error.

out-identify-report = 报告已写入 { $file }
out-evaluate-shard = 第 { $shard }/{ $shards } 份已写入 { $file }；请用 `tripoint plan merge` 合并各份
out-db-risk-sources = 已将 { $n } 个风险源写入 { $file }
out-drill-no-plan = 未印发应急监测方案：{ $folder } 中未写入任何文件
out-wrote = 已写入 { $file }

## Reading an input file (tui/src/input.rs) and the operating system's common errors on
## files (`i18n::io_error`; English shows the system's own words, these are its sense).

input-not-utf8 = { $path }：不是 UTF-8 文本（第 { $byte } 字节）
input-folder = { $path }：这是文件夹，不是{ $what }
input-too-large = 超过{ $what }的上限 { $max } 字节
io-not-found = 文件或文件夹不存在
io-permission-denied = 没有权限
io-already-exists = 已存在
input-what-scenario = 情景文件
input-what-results = 监测结果文件
input-what-drill-script = 演练脚本
input-what-plan-edits = 方案编辑文件
input-what-journal = 日志
input-what-csv = CSV 文件
input-what-geojson = GeoJSON 文件
input-what-shard = 分片文件
input-what-seats = 席位文件
input-what-token = 令牌文件
input-what-pem = PEM 文件
input-what-plan-document = 方案文件
input-what-orlib = OR-Library 文件
input-what-dump = 数据库转储

## `identify`'s dispersion lattice over its bound (`identify::LatticeTooLarge`, whose
## `Display` is this English).
# 风险源清单中没有存有所测污染物的风险源（$pollutants：污染物名称）。
id-no-candidate = 没有候选位置存有所测污染物（{ $pollutants }）：风险源清单中没有存有这些污染物的风险源，可改用 `--prior anywhere` 在整个河网中溯源
id-lattice-too-large = { $unknown ->
        [discharge] --error-discharge-log-sd { $sq }：流量作为未知量时
        [both] --error-dispersion-log-sd { $sd } 与 --error-discharge-log-sd { $sq }：弥散系数与流量均作为未知量时
       *[dispersion] --error-dispersion-log-sd { $sd }：弥散系数作为未知量时
    }，每个候选位置需权衡至多 { $factors } 组倍数，共 { $places } 个候选位置、{ $runs } 次输移计算，超过上限 { $max } 次：请调小 { $unknown ->
        [discharge] --error-discharge-log-sd
        [both] --error-dispersion-log-sd 或 --error-discharge-log-sd
       *[dispersion] --error-dispersion-log-sd
    } 或加大 --spacing-m
