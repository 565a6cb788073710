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
progress-trials = 试验：{ $done }/{ $total }（{ $seconds } s）
progress-trials-rate = { $trials } 次试验 × { $policies } 种调度方式，用时 { $seconds } s：每秒 { $rate } 次试验（{ $threads } 个线程）
