#!/usr/bin/env bash
# The side-by-side baseline of the fleet dispatch model: the Rust model (tripoint-sim's
# `fleet`, release build) and the SimPy model (benches/simpy_fleet.py) on one JSON input
# made from the built-in zone, and the same Rust model on the bare binary-heap loop that is
# the kernel's baseline (`--engine bare`, identical results); prints customers per second of
# each, their ratios, and the
# comparison of the response-time distributions (Kolmogorov–Smirnov, mean and quantiles
# with 95 % intervals). A second Rust run with another seed is compared with the first as
# a control: it shows what agreement looks like between two runs of one model.
#
#   benches/fleet_baseline.sh                    # 1 000 000 expected customers
#   CUSTOMERS=100000 benches/fleet_baseline.sh   # a quicker run
#   FLEET_BIN=old/fleet_baseline benches/fleet_baseline.sh   # another build of the example
#                                                # (e.g. the commit before a change), not rebuilt
#
# Needs python3 with SimPy (`pip install simpy`); not part of .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

customers="${CUSTOMERS:-1000000}"
out="target/fleet-baseline"
mkdir -p "$out"

if ! python3 -c "import simpy" 2>/dev/null; then
  echo "SimPy is not installed for python3: pip install simpy" >&2
  exit 1
fi

if [ -n "${FLEET_BIN:-}" ]; then
  rust="$FLEET_BIN"
  echo "== the Rust model: $rust (not rebuilt)"
else
  echo "== building the Rust model (release)"
  cargo build --release --quiet -p tripoint-sim --example fleet_baseline
  rust="target/release/examples/fleet_baseline"
fi

echo "== input: the built-in zone, $customers expected customers"
"$rust" export --customers "$customers" --seed 1 --out "$out/fleet.json"
"$rust" export --customers "$customers" --seed 2 --out "$out/fleet-seed2.json"

echo "== Rust (tripoint-sim)"
"$rust" run "$out/fleet.json" --responses "$out/rust.txt" | tee "$out/rust.summary"
"$rust" run "$out/fleet-seed2.json" --responses "$out/rust-seed2.txt" > "$out/rust-seed2.summary"

echo "== Rust, bare binary-heap loop (the kernel's baseline)"
"$rust" run "$out/fleet.json" --engine bare --responses "$out/bare.txt" | tee "$out/bare.summary"
cmp -s "$out/rust.txt" "$out/bare.txt" || { echo "the bare loop's responses differ from the kernel's" >&2; exit 1; }

echo "== SimPy $(python3 -c 'import simpy; print(simpy.__version__)') on Python $(python3 -c 'import platform; print(platform.python_version())')"
python3 benches/simpy_fleet.py run "$out/fleet.json" --responses "$out/simpy.txt" | tee "$out/simpy.summary"

field() { sed -n "s/^$1=//p" "$2"; }
echo "== throughput (wall time, and CPU time of the process: the machine may be shared)"
# SimPy times its run alone (its sort and quantiles come after); the Rust figures are given
# both ways: run_* is the run alone (like for like), the other the run and its summary.
for measure in customers_per_s customers_per_cpu_s; do
  simpy_rate="$(field "$measure" "$out/simpy.summary")"
  for scope in run_ ""; do
    rust_rate="$(field "$scope$measure" "$out/rust.summary")"
    bare_rate="$(field "$scope$measure" "$out/bare.summary")"
    echo "rust_$scope$measure=$rust_rate simpy_$measure=$simpy_rate" \
         "ratio=$(python3 -c "print(f'{$rust_rate / $simpy_rate:.1f}')")" \
         "bare_$scope$measure=$bare_rate bare_over_simpy=$(python3 -c "print(f'{$bare_rate / $simpy_rate:.1f}')")" \
         "bare_over_kernel=$(python3 -c "print(f'{$bare_rate / $rust_rate:.2f}')")"
  done
done

echo "== response times: Rust (seed 1) against SimPy"
python3 benches/simpy_fleet.py compare "$out/rust.txt" "$out/simpy.txt"
echo "== control: Rust seed 1 against Rust seed 2"
python3 benches/simpy_fleet.py compare "$out/rust.txt" "$out/rust-seed2.txt"
