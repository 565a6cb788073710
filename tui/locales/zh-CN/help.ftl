# 各命令的帮助（--help）：tripoint 及其子命令与参数的说明。英文帮助为 clap 根据代码中的文档注释
# 生成（英文的唯一来源）；此处为其中文。消息 id 为 help- 加子命令路径（help-db-query-experts），
# 参数为其后加 -- 和参数 id（help-drill--plan_edits）；.long 为 --help 的详细说明，
# .value-取值 为可选值的说明（tui/src/cli_help.rs）。

help-tripoint = 太浦河—青浦、吴江、嘉善交界水体突发水污染事件应急联动与演练模拟系统
help-tripoint--lang = 界面、信息和报告的语言：`zh-CN` 或 `en`（默认由 LC_ALL、LC_MESSAGES 或 LANG 决定：`zh_*` 为中文，其他为英文）

## tripoint forecast

help-forecast = 预测一次排放：下游各点位的到达时间、峰值浓度和超标历时
help-forecast--scenario = 情景文件（默认：内置示范区）
help-forecast--release = 排放位置：节点 id，或 REACH@CHAINAGE_M（距河段上游端的米数）。代替情景中原有的排放
help-forecast--pollutant = 排放的污染物 id（见 `tripoint check`）
help-forecast--mass_kg = 排放质量 [kg]
help-forecast--duration_min = 排放历时 [min]；0（默认）为瞬时排放
help-forecast--at = 排放开始时间：第 1 天的 HH:MM，或 `D2 08:00`（默认 00:00）
help-forecast--flow = 开始时的水文情势（默认：情景中的）
help-forecast--flow_change = 预测期间改变水文情势，如太浦闸开闸时 `--flow-change 08:00=flood`（可重复；与情景中原有的水文情势变化合并）
help-forecast--hours = 首次排放后的预测时长 [h]（默认：情景中的，内置情景为 72）
help-forecast--json = 输出一个 JSON 文档（字段见 docs/forecast-json.md），而非表格
help-forecast--series = 与 --json 合用：加上下游各点位的浓度过程（含保持的峰值）
help-forecast--journal = 将已处理事件的日志（JSON 行）写入此文件
help-forecast--seed = 模拟随机数发生器的种子，亦为 --spread 集合预报抽样的种子
help-forecast--spread = 同时进行集合预报：按对数正态分布（以情景取值为中心）抽取弥散、流量和排放质量，给出各取水口和省界断面的到达时间、峰值浓度和超标历时的 P10/P50/P90（docs/forecast-json.md 中的 "ensemble"）
help-forecast--members = 与 --spread 合用：集合成员数（1 至 1000）
help-forecast--spread_dispersion = 与 --spread 合用：弥散系数乘子的对数标准差（默认 0.8）
help-forecast--spread_flow = 与 --spread 合用：流量乘子的对数标准差（默认 0.2）
help-forecast--spread_mass = 与 --spread 合用：排放质量乘子的对数标准差（默认 0.3）

## tripoint identify

help-identify = 根据已有监测结果溯源：哪个污染源、何时开始、排放多少，以及取水口和省界断面随后的情况
help-identify--scenario = 情景文件（默认：内置示范区）
help-identify--results = 已有监测结果（CSV，各列见 docs/identify.md）：点位、污染物、采样时间 taken_at、浓度 value_mg_l（数值，或低于检出限时写 `<DL`、`<0.03`、`nd`）、检出限 detection_limit_mg_l（空：取该污染物的检出限）
help-identify--prior = 排放可能发生的位置：风险源清单中的风险源，或河网上任意位置（每条河段每隔 --spacing-m 一处，每个湖泊网格一处）
    .value-inventory = 风险源清单中的风险源
    .value-anywhere = 河网上任意位置
help-identify--spacing_m = 与 `--prior anywhere` 合用：沿河段候选位置的间距 [m]
help-identify--refine_places = 与 `--prior anywhere` 及单一排放合用：对最可能的几处位置，将其所在河段及相邻河段每隔间距的 1/8（或输移网格，取较长者）重新计算（0：不细化）
help-identify--since = 考虑的最早开始时间（第 1 天的 HH:MM，或 `D2 08:00`；默认：首次检出前 48 h，且不早于情景开始时间）
help-identify--start_step_min = 开始时间粗网格的步长 [min]（在结果明确处细化到输出步长）
help-identify--durations_min = 考虑的排放历时 [min]，以逗号分隔；0 为瞬时排放
help-identify--flow = 事件期间保持的水文情势（默认：情景中的）
help-identify--error_relative = 测量误差，相对于浓度
help-identify--error_model = 模型误差，相对于浓度
help-identify--error_absolute = 每个监测结果的绝对测量误差 [mg/L]。默认：各结果检出限的三分之一（HJ 168-2020 将检出限定为低浓度平行样约三倍标准差），结果未给出检出限时取情景中该污染物的
help-identify--error_timing_min = 污染带经过监测结果所在位置的时间的模型误差 [min]（标准差）：位于污染带陡峭前后沿的结果权重随之降低，位于峰值处的几乎不变。0：不考虑。默认：溯源的默认值（docs/identify.md）
help-identify--error_dispersion_log_sd = 将输移模型的弥散系数视为未知、由所有监测结果共享：情景弥散系数倍数的自然对数标准差（0 至 1.5；0：仅用情景弥散系数）。每个计入的倍数都需为每个候选位置各做一次输移计算。默认：溯源的默认值（docs/identify.md）
help-identify--outlook_hours = 展望从最后一个监测结果起向后延伸的时长 [h]
help-identify--draws = 为展望从后验分布中抽取的排放次数
help-identify--seed = 抽样的种子
help-identify--sources = 同时考虑的排放个数：1，或 2（两次排放，各有位置、开始时间、历时、质量和污染物，与单一排放比较权重）
help-identify--report = 同时将报告写入此文件夹：report.md 及 SVG 图（各位置的后验概率、采样点位的拟合、取水口的集合预报）和 identification.json
help-identify--json = 输出一个 JSON 文档，而非表格
help-identify--cache = 单位响应缓存的文件夹（默认：$TRIPOINT_CACHE，否则 $XDG_CACHE_HOME/tripoint，否则 ~/.cache/tripoint）。缓存的过程与重新计算的逐位相同
help-identify--no_cache = 每个单位响应都重新计算，不在磁盘上保留

## tripoint run

help-run = 运行情景中的事件：发现、应急监测方案、调度、样品和各项关键指标
help-run--scenario = 含 [[incidents]] 的情景（默认：内置双事件演练情景）
help-run--seed = 模拟随机数发生器的种子
help-run--policy = 调度方式：`county`（属地调度：本地队伍在本辖区内，跨界支援须申请）、`unified`（统一调度：执委会统筹全部队伍并跟踪污染带）、统筹 × 排序的另外两种组合 `pooled_due` 和 `county_plume`，或 `factorial`：四种并列比较（docs/response.md）
help-run--flow = 运行的水文情势（默认：情景中的），如太浦闸开闸时为 `flood`
help-run--hours = 首个事件开始后的运行时长 [h]
help-run--journal = 将已处理事件的日志（JSON 行）写入此文件
help-run--plan_edits = 按此文件（TOML，docs/plan-edits.md）中的时间修改应急监测方案：增减点位、调整频次、申请跨界支援、批准修订
help-run--plans = 将各事件的应急监测方案（Markdown、JSON，以及现场监测队伍的采样计划 CSV）写入此文件夹
help-run--json = 输出一个 JSON 文档（字段见 docs/run-json.md），而非表格
help-run--seeds = 与 `--policy factorial` 合用：从 `--seed` 起运行这么多个种子，报告各指标的平均值，并逐个种子列出各组合优于或劣于属地调度之处
help-run--mutual_aid_delay_min = 改变情景中的跨界支援延迟（属地调度：从申请到另一区县的队伍出发）[min]，以观察比较结果随之的变化
help-run--no_backing = 将市级监测中心视为所有区县的外部力量（忽略情景中的 `backs`）：属地调度下其队伍只作为跨界支援到达
help-run--db = 将本次运行记录到此数据库（SQLite 文件或 PostgreSQL 连接字符串；默认：已设置时为 $TRIPOINT_DB，否则不记录）：事件、方案修订、任务、样品及其流转记录、监测结果、预警（docs/database.md）

## tripoint replay

help-replay = 重新运行一份已记录的处置日志，逐条核对事件和报告
help-replay--journal = 由 `tripoint run --journal FILE` 写出、在控制台中保存（`w`）或由 `tripoint serve --journal FILE` 写出的日志

## tripoint console

help-console = 打开演练或情景的指挥控制台（默认：双事件演练）
help-console--target = 演练脚本或内置演练名称，或运行其中事件的情景文件（.toml）（默认：双事件演练）
help-console--seed = 模拟随机数发生器的种子
help-console--policy = 模拟参演人员的调度方式：`county`（属地）或 `unified`（统一）
help-console--seat = 您所在的席位：`command`（联合指挥部）、`controller`（导调）或某一行政区 id；与 `--connect` 合用时为服务器席位文件中您的席位名
help-console--connect = 以 `--seat NAME` 加入位于 ADDR 的演练服务器（`tripoint serve`），而不是在本地运行。如给出 TARGET，则为服务器的演练或情景（用于地图）；令牌取自 `--token-file` 或 TRIPOINT_TOKEN
help-console--token_file = 与 `--connect` 合用：存放席位令牌的文件（否则取 TRIPOINT_TOKEN）
help-console--tls = 通过 TLS 连接（服务器以 --tls-cert 和 --tls-key 启动）
help-console--ca = 与 --tls 合用：要信任的 CA 证书，PEM 格式（部署方的 CA，或服务器的自签名证书）。不读取系统信任库
help-console--server_name = 与 --tls 合用：服务器证书必须载有的名称（默认：地址中的主机名；以证书中未列出的 IP 地址连接时须给出）
help-console--journal = 按 `w` 保存日志的位置
help-console--live = 实时处置而非演练：使用情景文件的河网、点位和队伍，不含其中的事件；由您登记事件（I）并录入监测结果（e）。时钟按实际时间运行
help-console--clock = 实时处置：时钟的起始时间，第 1 天的 HH:MM（默认：当前北京时间，UTC+8，即示范区时间）
help-console--db = 会话过程中写入的数据库（docs/database.md）：SQLite 文件或 PostgreSQL 连接字符串。实时处置的默认值：$TRIPOINT_DB，否则 tripoint-data/tripoint.sqlite；演练：$TRIPOINT_DB，否则不写
help-console--no_db = 不写数据库（实时处置默认会写）

## tripoint drill

help-drill = 无界面运行演练脚本，并写出演练评估报告
help-drill--script = 演练脚本（rhai），或内置演练的名称：two-incidents、night-antimony-station-failure、dianshan-lake、alarm-unknown-source
help-drill--seed = 模拟随机数发生器的种子
help-drill--policy = 模拟参演人员的调度方式：`county`、`unified`、`pooled_due`、`county_plume`，或 `factorial`：四种并列比较（得分及各项评分）
help-drill--report = 将 report.md、report.json 和 SVG 图表写入此文件夹
help-drill--journal = 将已处理事件的日志（JSON 行）写入此文件
help-drill--plans = 将各事件应急监测方案的每次修订写入此文件夹：`plan-INCIDENT-rN.md`、`.json`，以及现场监测队伍的采样计划 `.csv`
help-drill--plan_edits = 按此文件（TOML，docs/plan-edits.md）中的时间修改应急监测方案，作为各席位在相应时间的操作，像人员操作一样记入日志
help-drill--db = 将演练记录到此数据库（SQLite 文件或 PostgreSQL 连接字符串；默认：已设置时为 $TRIPOINT_DB，否则不记录）：事件、方案、任务、样品、监测结果和预警，评分和演练评估报告（docs/database.md）

## tripoint check

help-check = 检查情景文件并给出概要；每个问题都注明其位置
help-check--scenario = 情景文件（默认：内置示范区）
help-check--list = 同时列出演练脚本可用的全部 id（行政区、污染物、水文情势、命名点位和监测站、风险源、驻点、队伍、路网节点和道路）及其名称

## tripoint validate

help-validate = 将输移模型与解析解比较并输出结果
help-validate--json = 输出 JSON，而非表格

## tripoint plan

help-plan = 规划工具：站点布设（`plan locate`）
help-plan-locate = 在网络上选择 p 个站点（p-中位、p-中心或最大覆盖模型），并证明其与最优解的差距上限
help-plan-locate--orlib = OR-Library 的 p-中位问题文件：一行 `n m p`，然后 m 行 `i j cost`（无向，从 1 编号）
help-plan-locate--p = 开设的站点数（默认：文件头中的 p）
help-plan-locate--objective = 优化目标
    .value-median = 使各节点到最近站点的距离之和最小
    .value-center = 使节点到最近站点的最大距离最小
    .value-covering = 使位于站点覆盖半径内的节点数最多
help-plan-locate--radius = 覆盖半径，单位同文件中的费用（仅与 `--objective covering` 合用）
help-plan-evaluate = 评估示范区监测队伍的驻点布局：从风险源清单中抽取单一事件和同时发生的两起事件，进行蒙特卡洛试验，分别采用两种调度方式
help-plan-evaluate--scenario = 评估其队伍、驻点和风险源的情景（默认：内置示范区）
help-plan-evaluate--trials = 试验次数（每次为一起事件或同时发生的两起事件）
help-plan-evaluate--policy = 要评估的调度方式；`both` 对每次试验分别采用两种方式（事件相同）
    .value-pooled-due = 统筹队伍，任务按应采时间排序（仅统筹）
    .value-county-plume = 属地队伍，任务按污染带先后排序（仅排序）
    .value-both = 属地调度和统一调度
    .value-factorial = 统筹 × 排序的四种组合
help-plan-evaluate--seed = 抽样的种子；对同一种子，第 i 次试验的事件总是相同
help-plan-evaluate--hours = 每次试验首个事件开始后的时长 [h]
help-plan-evaluate--pairs = 两个行政区同时发生区县级事件的试验所占比例
help-plan-evaluate--threads = 工作线程数，1 至 256（默认：全部核心）。结果与其无关
help-plan-evaluate--cache = 单位响应缓存的文件夹（默认：$TRIPOINT_CACHE，否则 $XDG_CACHE_HOME/tripoint，否则 ~/.cache/tripoint）。缓存的过程与重新计算的逐位相同
help-plan-evaluate--no_cache = 每个单位响应都重新计算，不在磁盘上保留
help-plan-evaluate--shard = 只计算 N 个分片中的第 I 个（从 0 编号，如 `3/8`）：试验的一段连续区间；N 不超过 10,000，且不超过 --trials。用 --out 写出，再用 `tripoint plan merge` 合并各分片
help-plan-evaluate--out = 将试验及其设置写为 JSON（供 `plan merge` 使用的分片文件）
help-plan-evaluate--report = 将 report.md、summary.json、trials.csv 和 SVG 图写入此文件夹
help-plan-evaluate--compare_transport = 同时用完整输移模型运行前 K 次试验，并给出快速算法（单位响应）与其的差距
help-plan-optimise = 用模拟选择监测队伍及其现场检测设备的驻点（在固定试验上贪心构造并局部搜索），并在另外的试验上将方案与现状及经典选址模型比较，四种调度组合（county、county_plume、pooled_due、unified）并列
help-plan-optimise--scenario = 使用其队伍、驻点、候选站点和风险源的情景（默认：内置示范区）
help-plan-optimise--teams = 出动的队伍数，不超过情景中的（默认：全部）
help-plan-optimise--instruments = 在出动队伍间分配的现场检测设备，如 `sb_voltammetry=10,aniline_kit=4`（未列出的：与出动队伍现有的数量相同）
help-plan-optimise--objective = 搜索要最大化的目标
    .value-intake-warning = 取水口预警提前量
    .value-p90-response = 响应时间的 P90
    .value-coverage = 覆盖率
help-plan-optimise--policy = 布局所针对的调度方式（核验时四种都比较）
help-plan-optimise--across_borders = 队伍可驻扎在其他行政区的站点（仍隶属本行政区）
help-plan-optimise--search_trials = 搜索期间为每种布局评分的试验次数（对所有布局相同）
help-plan-optimise--verify_trials = 另外用于将方案与现状及经典模型比较的试验次数
help-plan-optimise--max_evaluations = 局部搜索模拟的布局数上限
help-plan-optimise--radius = 最大覆盖模型中视风险源为已覆盖的车程 [min]
help-plan-optimise--seed = 抽样的种子；对同一种子，第 i 次试验的事件总是相同
help-plan-optimise--hours = 每次试验首个事件开始后的时长 [h]
help-plan-optimise--pairs = 两个行政区同时发生区县级事件的试验所占比例
help-plan-optimise--threads = 工作线程数，1 至 256（默认：全部核心）。结果与其无关
help-plan-optimise--cache = 单位响应缓存的文件夹（默认：$TRIPOINT_CACHE，否则 $XDG_CACHE_HOME/tripoint，否则 ~/.cache/tripoint）。缓存的过程与重新计算的逐位相同
help-plan-optimise--no_cache = 每个单位响应都重新计算，不在磁盘上保留
help-plan-optimise--report = 将 report.md、trials.csv、optimise.json 和 SVG 图写入此文件夹
help-plan-merge = 将 `plan evaluate --shard I/N --out FILE` 写出的各分片文件合并为一个结果
help-plan-merge--shards = 由 `plan evaluate --shard I/N --out FILE` 写出的分片文件，顺序不限
help-plan-merge--out = 将合并后的试验写为一个 JSON 文件（同 `plan evaluate --out`）
help-plan-merge--report = 将合并后试验的报告写入此文件夹

## tripoint serve

help-serve = 通过 TCP 为多个席位提供演练服务（协议 v1，docs/protocol.md）
help-serve--target = 演练脚本或内置演练名称，或运行其中事件的情景文件（.toml）（默认：双事件演练）；与 `--live` 合用时为示范区的情景文件（默认：内置示范区）
help-serve--live = 实时处置而非演练：使用情景的河网、点位和队伍，不含其中的事件；由联合指挥部和各行政区登记事件、录入监测结果。时钟立即开始，除非 `--speed` 另有规定，按实际时间运行；无需导调席位
help-serve--clock = 实时处置：时钟的起始时间，第 1 天的 HH:MM（默认：当前北京时间，UTC+8，即示范区时间）
help-serve--listen = 监听的地址和端口。非本机回环地址时须给出 --tls-cert 和 --tls-key（或在可信网络上给出 --insecure-plain）
help-serve--tls_cert = 以此证书链（PEM）在该端口提供 TLS（席位和态势看板均是）：服务器证书在前，其后为中间证书（docs/protocol.md）
help-serve--tls_key = --tls-cert 的私钥，PEM 格式（PKCS#8、PKCS#1 或 SEC1）
help-serve--insecure_plain = 仍以明文 TCP 在非回环地址上监听：令牌和演练内容以未加密方式在网络上传输。仅限演练室自己的网络
help-serve--seats = 席位文件（由 `tripoint seat add` 写出）
help-serve--journal = 演练进行中写入日志的位置（新文件）
help-serve--report = 服务器停止时将演练评估报告（report.md、report.json、图表）连同评估人员的观察记录写入此文件夹
help-serve--resume = 继续服务器停止或被终止时留在此日志中的演练：演练对象、调度方式、种子和席位均取自日志；服务器在其后追加
help-serve--speed = 导调人员启动时钟后的演练速度：1（实时）、10、60、600 或 fastest（最快）。默认：演练为 60，实时处置为 1
help-serve--seed = 模拟随机数发生器的种子
help-serve--policy = 模拟参演人员的调度方式：`county`（属地）或 `unified`（统一）
help-serve--db = 演练过程中写入的数据库（docs/database.md）：SQLite 文件或 PostgreSQL 连接字符串。默认：$TRIPOINT_DB，否则 tripoint-data/tripoint.sqlite
help-serve--no_db = 不写数据库

## tripoint seat

help-seat = 演练服务器的席位：`seat add` 新建一个席位并一次性显示其令牌
help-seat-add = 在席位文件（不存在时新建）中添加一个席位，并一次性显示其令牌
help-seat-add--file = 席位文件
help-seat-add--name = 席位名：小写字母、数字、`-` 或 `_`
help-seat-add--role = 该席位的权限
help-seat-cert = 为演练室或演练的服务器生成自签名 TLS 证书和私钥：DIR/cert.pem（服务器的 --tls-cert，客户端的 --ca）和 DIR/key.pem（服务器的 --tls-key，仅属主可读）
help-seat-cert--out = 写入 cert.pem 和 key.pem 的文件夹（两者均不得已存在）
help-seat-cert--names = 客户端连接所用的主机名或 IP 地址（多个时重复给出）

## tripoint join

help-join = 在普通终端上占用演练服务器的一个席位：查看变化，输入操作
help-join--addr = 服务器地址，如 127.0.0.1:7400
help-join--seat = 席位文件中的席位名
help-join--token_file = 存放席位令牌的文件（默认：环境变量 TRIPOINT_TOKEN）
help-join--tls = 通过 TLS 连接（服务器以 --tls-cert 和 --tls-key 启动）
help-join--ca = 与 --tls 合用：要信任的 CA 证书，PEM 格式（部署方的 CA，或服务器的自签名证书）。不读取系统信任库
help-join--server_name = 与 --tls 合用：服务器证书必须载有的名称（默认：地址中的主机名；以证书中未列出的 IP 地址连接时须给出）

## tripoint export / import

help-export = 导出 GIS 文件：情景、污染带和应急监测方案，写为 GeoJSON 图层（docs/gis.md）
help-export-geojson = 将情景写为 GeoJSON 图层（WGS84）：河段、节点、湖泊、命名点位、风险源、驻点、队伍、路网节点、道路；有排放时加上某一时刻的污染带和各点位的到达时间；有 --plan 时加上方案的点位和采样计划
help-export-geojson--scenario = 情景文件（默认：内置示范区）
help-export-geojson--out = 存放 `.geojson` 文件的文件夹（不存在时新建）
help-export-geojson--plan = 方案文件（由 `tripoint run --plans DIR` 写出的 `plan-INCIDENT.json`）：其点位和采样计划写入 `plan.geojson`
help-export-geojson--at = 污染带的时刻，`HH:MM`（第 1 天）或 `D2 08:00`（默认：首次排放后 12 小时）
help-export-geojson--flow = 开始时的水文情势（默认：情景中的）
help-import = 导入 GIS 文件：将以 GeoJSON 绘制的河网转为情景骨架（docs/gis.md）
help-import-geojson = 由 GeoJSON 要素集合（FeatureCollection）生成情景骨架：线（LineString，顺水流方向绘制）成为河段，点（Point）成为最近河段上的命名点位
help-import-geojson--file = GeoJSON 文件（WGS84），如从 OpenStreetMap 导出的水系
help-import-geojson--out = 要写出的情景骨架（TOML）
help-import-geojson--node_tolerance_m = 线端点距离小于此值即视为同一节点 [m]
help-import-geojson--snap_max_m = 距所有线都远于此值的点将被拒绝 [m]

## tripoint db

help-db = 应急监测数据库：风险源名录（SQLite 或 PostgreSQL）
help-db--db = 数据库：SQLite 文件（首次使用时创建），或 PostgreSQL 连接字符串（`postgresql://user@host/db`）。默认：$TRIPOINT_DB，否则 tripoint-data/tripoint.sqlite
help-db-status = 创建或升级数据库，并说明其中的内容
help-db-import-sources = 从 CSV 导入风险源名录（全部行导入或全不导入）
help-db-import-sources--sources = 名录：每个场所一行（各列见 docs/database.md）
help-db-import-sources--chemicals = 各场所存有的化学品：source_id、pollutant、max_on_site_kg、max_release_kg
help-db-import-sources--scenario = 各行须引用其行政区、河段、路网节点、类别和污染物的情景（默认：内置示范区）
help-db-import-scenario = 将情景中的风险源清单写入名录
help-db-import-scenario--scenario = 情景文件（默认：内置示范区）
help-db-export-sources = 将风险源名录导出为 CSV（两个文件）或 GeoJSON
help-db-export-sources--out = 写入的文件夹（不存在时新建）
help-db-export-sources--format = 导出格式
    .value-csv = `risk_sources.csv` 和 `risk_source_chemicals.csv`，格式同 `import-sources` 读入的
    .value-geojson = `risk_sources.geojson`：有坐标的风险源，为 WGS84 点
help-db-export-inventory = 由名录写出情景的风险源清单（`[[risk_sources]]` TOML）
help-db-export-inventory--jurisdiction = 只取此行政区的风险源（多个时重复给出）
help-db-export-inventory--out = 写入此文件（默认：标准输出）
help-db-import-methods = 从 CSV 导入监测方法（标准操作规程）；未给出文件时导入内置设备目录中的方法
help-db-import-methods--file = 方法文件：`id, pollutant, standard, setting, instrument, detection_limit_mg_l, holding_time_h, container, preservation, qa_qc, note`。未给出时：内置设备目录中的仪器，每种仪器和污染物一种方法
help-db-import-methods--scenario = 各行须引用其污染物的情景（默认：内置示范区）
help-db-import-experts = 从 CSV 导入专家名单（全部行导入或全不导入）
help-db-import-experts--file = 名单文件：`id, name, name_zh, expertise, jurisdiction, organisation, contact, availability, pollutants`（以 `;` 分隔），`note`
help-db-import-experts--scenario = 各行须引用其行政区和污染物的情景（默认：内置示范区）
help-db-import-results = 导入实验室监测结果文件（CSV）：逐一指出每个有误的行，出错时不写入任何内容
help-db-import-results--file = 结果文件：`sample_id, pollutant, value, unit, method, detection_limit, analysed_at, lab, qa_flag`
help-db-import-results--scenario = 各行须引用其污染物的情景（默认：内置示范区）
help-db-import-readings = 导入自动监测站的读数（CSV）：逐一指出每个有误的行，出错时不写入任何内容
help-db-import-readings--file = 读数文件：`station_id, pollutant, value, unit, measured_at, qa_flag`
help-db-import-readings--scenario = 各行须引用其监测站（及各站监测项目）的情景（默认：内置示范区）
help-db-export = 将任一数据表导出为 CSV，行有坐标时可导出为 GeoJSON
help-db-export--table = 数据表（`tripoint db export --list` 列出全部）
help-db-export--geojson = 导出有坐标各行的 GeoJSON 点，而非 CSV
help-db-export--out = 写入此文件（默认：标准输出）
help-db-export--list = 列出各数据表及其中哪些有坐标
help-db-query = 查询预设的问题之一（docs/database.md）
help-db-query--json = 输出一个 JSON 文档，而非表格
help-db-query-point-series = 某点位某污染物的监测结果随时间的变化
help-db-query-point-series--point = 点位 id（命名点位或方案中的点位，与监测结果的记录一致）
help-db-query-point-series--pollutant = 污染物 id
help-db-query-point-series--run = 只查此次运行
help-db-query-station-readings = 某监测站某污染物读数随时间的变化：先列各次运行的，再列导入的
help-db-query-station-readings--station = 监测站 id
help-db-query-station-readings--pollutant = 污染物 id
help-db-query-station-readings--run = 只查此次运行（不含导入的读数）
help-db-query-incidents-at-intake = 涉及某取水口的事件：曾威胁该取水口，或在该处采过样
help-db-query-incidents-at-intake--intake = 取水口 id
help-db-query-upstream-sources = 名录中位于情景河网上某取水口上游的风险源及其化学品
help-db-query-upstream-sources--intake = 取水口 id
help-db-query-upstream-sources--scenario = 使用其河网的情景（默认：内置示范区）
help-db-query-experts = 熟悉某污染物的专家
help-db-query-experts--pollutant = 污染物 id
help-db-query-team-actions = 某次运行某事件中各队伍的行动
help-db-query-team-actions--run = 运行编号（`tripoint db runs` 可列出）
help-db-query-team-actions--incident = 事件 id
help-db-runs = 列出已记录的运行和演练；仍在写入的会话（正在提供服务的演练、实时控制台）标为进行中，并注明其最后一次写入
help-db-backup = 备份数据库：SQLite 使用其在线备份接口，PostgreSQL 导出为转储
help-db-backup--file = 要写出的备份文件（不得已存在）
help-db-restore = 将备份或转储恢复到一个空数据库（两种引擎均可）
help-db-restore--file = 由 `tripoint db backup` 写出的 SQLite 备份或转储

## 取值名（`<FILE>` 等，tui/src/cli_help.rs `chinese_value_names`）：消息 id 为 help-valname- 加
## 取值名（字母、数字、_ 以外的字符记为 -）。占位名译为中文；照原样输入的（`zh-CN|en`、`1|2`、
## `HH:MM`）保持不变。

help-valname-1-10-60-600-fastest = 1|10|60|600|fastest
help-valname-1-2 = 1|2
help-valname-ADDR = 地址
help-valname-CHEMICALS = 化学品文件
help-valname-DB = 数据库
help-valname-DIR = 目录
help-valname-FILE = 文件
help-valname-FILE-csv = 文件.csv
help-valname-FILE-pem = 文件.pem
help-valname-FORMAT = 格式
help-valname-H = 小时
help-valname-HH-MM = HH:MM
help-valname-HH-MM-REGIME = HH:MM=水文情势
help-valname-HOST = 主机
help-valname-HOURS = 小时
help-valname-I-N = 序号/份数
help-valname-ID = 编号
help-valname-INCIDENT = 事件
help-valname-INTAKE = 取水口
help-valname-JOURNAL = 日志文件
help-valname-K = 次数
help-valname-KG = 千克
help-valname-KIT-N-- = 试剂盒=数量,…
help-valname-LOCATION = 数据库位置
help-valname-LOG_SD = 对数标准差
help-valname-M = 米
help-valname-MAX_EVALUATIONS = 评估次数上限
help-valname-MG_L = 毫克每升
help-valname-MIN = 分钟
help-valname-MIN-- = 分钟,…
help-valname-N = 数量
help-valname-NAME = 名称
help-valname-NODE-REACH-CHAINAGE_M = 节点|河段@里程米
help-valname-OBJECTIVE = 目标
help-valname-OUT = 输出文件
help-valname-P = 驻点数
help-valname-PAIRS = 比例
help-valname-POINT = 点位
help-valname-POLICY = 调度方式
help-valname-POLLUTANT = 污染物
help-valname-PRIOR = 先验
help-valname-R = 半径
help-valname-RADIUS = 半径
help-valname-REGIME = 水文情势
help-valname-RUN = 运行编号
help-valname-SCENARIO = 情景文件
help-valname-SCRIPT = 演练脚本
help-valname-SEARCH_TRIALS = 搜索试验次数
help-valname-SEAT = 席位
help-valname-SEED = 种子
help-valname-SHARDS = 分片文件
help-valname-SHARE = 比例
help-valname-SOURCES = 风险源文件
help-valname-STATION = 监测站
help-valname-TABLE = 表
help-valname-TARGET = 演练或情景
help-valname-TEAMS = 队伍数
help-valname-THREADS = 线程数
help-valname-TIME = 时间
help-valname-TRIALS = 试验次数
help-valname-VERIFY_TRIALS = 验证试验次数
help-valname-controller-command-jurisdiction-ID-evaluator-observer = controller|command|jurisdiction:区县编号|evaluator|observer
help-valname-county-unified = county|unified
help-valname-county-unified-pooled_due-county_plume-factorial = county|unified|pooled_due|county_plume|factorial
help-valname-zh-CN-en = zh-CN|en

## identify --error-discharge-log-sd
help-identify--error_discharge_log_sd = 将河道流量视为未知、由所有监测结果共享：各河段各水文情势流量统一乘以的倍数的自然对数标准差（0 至 0.5；0：仅用情景流量），与弥散系数的倍数一并权衡。每个计入的倍数都需为每个候选位置各做一次输移计算。默认：溯源的默认值（docs/identify.md）
