#!/usr/bin/env python3
"""The fleet dispatch model of `sim/src/fleet.rs`, written in SimPy, for the side-by-side
baseline (`benches/fleet_baseline.sh`, figures in `docs/benchmarks.md`).

Same model, same JSON input (format "tripoint-fleet/1"): incidents arrive as a Poisson
process in (0, horizon] at road nodes drawn by weight; each goes to the first team at its
base in the node's preference order (default: by driving time from the team's base to the
node, ties to the lower team index); calls wait in one FIFO line while every team is out;
a team drives out, stays on scene for a lognormal (or exponential) time, drives back, and
then takes the oldest waiting call. Response time = wait + driving time out. Random
durations are rounded to the nearest second, as in the Rust model (integer time).

The random streams differ (Python's Mersenne Twister here, ChaCha8 there), so the two are
compared as distributions: `compare` runs a two-sample Kolmogorov–Smirnov test and gives
the mean and the P50/P90/P95 with batch confidence intervals for both. Standard library
only besides SimPy (numpy and scipy are not needed).

    python3 benches/simpy_fleet.py run fleet.json --responses simpy.txt
    python3 benches/simpy_fleet.py compare rust.txt simpy.txt
"""

import argparse
import bisect
import collections
import json
import math
import random
import sys
import time

import simpy

FORMAT = "tripoint-fleet/1"
BATCHES = 20
# Student t, 19 degrees of freedom, two-sided 95 %.
T_19_975 = 2.093


class InputError(Exception):
    """A bad input file: reported with the file and the field, exit 2."""


def load_input(path):
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as e:
        raise InputError(f"{path}: {e.strerror}")
    except json.JSONDecodeError as e:
        raise InputError(f"{path}:{e.lineno}:{e.colno}: {e.msg}")
    problems = []

    def need(cond, message):
        if not cond:
            problems.append(message)

    need(isinstance(data, dict), "the file must hold one JSON object")
    if problems:
        raise InputError(f"{path}: {problems[0]}")
    need(data.get("format") == FORMAT, f"format: expected {FORMAT!r}, got {data.get('format')!r}")
    nodes = data.get("nodes")
    need(isinstance(nodes, list) and len(nodes) > 0, "nodes: need a non-empty list")
    n = len(nodes) if isinstance(nodes, list) else 0
    matrix = data.get("travel_time_s")
    ok_matrix = (
        isinstance(matrix, list)
        and len(matrix) == n
        and all(isinstance(row, list) and len(row) == n for row in matrix)
        and all(isinstance(t, int) and 0 <= t <= 7 * 86400 for row in matrix for t in row)
    )
    need(ok_matrix, f"travel_time_s: need {n} rows of {n} whole seconds in 0..=604800")
    weights = data.get("node_weights")
    ok_weights = (
        isinstance(weights, list)
        and len(weights) == n
        and all(isinstance(w, (int, float)) and w >= 0 and math.isfinite(w) for w in weights)
        and sum(weights) > 0
    )
    need(ok_weights, f"node_weights: need {n} finite weights >= 0, one positive")
    teams = data.get("teams")
    ok_teams = (
        isinstance(teams, list)
        and len(teams) > 0
        and all(isinstance(t, dict) and isinstance(t.get("depot_node"), int) and 0 <= t["depot_node"] < n for t in teams)
    )
    need(ok_teams, "teams: need a non-empty list of {id, depot_node} with node indices")
    rate = data.get("arrival_rate_per_h")
    need(isinstance(rate, (int, float)) and rate > 0 and math.isfinite(rate), "arrival_rate_per_h: must be positive")
    service = data.get("service")
    kind = service.get("distribution") if isinstance(service, dict) else None
    if kind == "lognormal":
        need(service.get("median_s", 0) > 0 and 0 <= service.get("sigma", -1) <= 5, "service: median_s > 0, sigma in 0..=5")
    elif kind == "exponential":
        need(service.get("mean_s", 0) > 0, "service.mean_s: must be positive")
    else:
        problems.append(f"service.distribution: lognormal or exponential, got {kind!r}")
    horizon = data.get("horizon_s")
    need(isinstance(horizon, int) and horizon >= 1, "horizon_s: need a whole number of seconds >= 1")
    need(isinstance(data.get("seed"), int), "seed: need an integer")
    preference = data.get("preference")
    if preference is not None and ok_teams:
        m = len(teams)
        ok_pref = isinstance(preference, list) and len(preference) == n and all(
            isinstance(order, list) and sorted(order) == list(range(m)) for order in preference
        )
        need(ok_pref, f"preference: need {n} lists, each every team index 0..{m} once")
    if problems:
        raise InputError(f"{path}: invalid fleet input: " + "; ".join(problems))
    return data


def default_preference(matrix, depots):
    """Per node, team indices by driving time from the team's base; ties to the lower index."""
    return [
        sorted(range(len(depots)), key=lambda team: (matrix[depots[team]][node], team))
        for node in range(len(matrix))
    ]


def simulate(data):
    """Runs the model; returns the response times in arrival order and per-team busy time."""
    matrix = data["travel_time_s"]
    depots = [t["depot_node"] for t in data["teams"]]
    preference = data.get("preference") or default_preference(matrix, depots)
    cumulative = []
    total = 0.0
    for w in data["node_weights"]:
        total += w
        cumulative.append(total)
    rate_per_s = data["arrival_rate_per_h"] / 3600.0
    horizon = data["horizon_s"]
    service = data["service"]
    rng = random.Random(data["seed"])
    if service["distribution"] == "lognormal":
        log_median, sigma = math.log(service["median_s"]), service["sigma"]

        def draw_service():
            return round(rng.lognormvariate(log_median, sigma))
    else:
        mean_s = service["mean_s"]

        def draw_service():
            return round(rng.expovariate(1.0 / mean_s))

    env = simpy.Environment()
    at_base = [True] * len(depots)
    line = collections.deque()  # events of waiting calls, oldest first
    responses = []
    busy_s = [0] * len(depots)

    def call(node, arrived):
        order = preference[node]
        team = None
        if not line:
            team = next((t for t in order if at_base[t]), None)
        if team is None:
            handed_over = env.event()
            line.append(handed_over)
            team = yield handed_over
        at_base[team] = False
        depot = depots[team]
        out, back = matrix[depot][node], matrix[node][depot]
        responses.append(env.now - arrived + out)
        busy = out + draw_service() + back
        busy_s[team] += max(0, min(env.now + busy, horizon) - env.now)
        yield env.timeout(busy)
        if line:
            # The team stays out of the base and takes the oldest call directly.
            line.popleft().succeed(team)
        else:
            at_base[team] = True

    def incidents():
        while True:
            gap = round(rng.expovariate(rate_per_s))
            if env.now + gap > horizon:
                return
            yield env.timeout(gap)
            node = bisect.bisect_right(cumulative, rng.random() * total)
            env.process(call(min(node, len(cumulative) - 1), env.now))

    env.process(incidents())
    env.run()
    return responses, busy_s


def quantile(sorted_values, q):
    """Nearest rank, as `fleet::quantiles_nearest_rank` in Rust."""
    rank = min(max(math.ceil(q * len(sorted_values)), 1), len(sorted_values))
    return sorted_values[rank - 1]


def read_responses(path):
    try:
        with open(path, encoding="utf-8") as f:
            return [int(line) for line in f if line.strip()]
    except OSError as e:
        raise InputError(f"{path}: {e.strerror}")
    except ValueError as e:
        raise InputError(f"{path}: not a whole number of seconds per line ({e})")


def batch_summary(values):
    """Mean, P50, P90, P95, each with a 95 % interval from 20 consecutive batches (sectioning:
    the statistic of the whole run, the spread of the batches' own statistics)."""
    n = len(values)
    stats = {
        "mean": lambda v: sum(v) / len(v),
        "p50": lambda v: quantile(sorted(v), 0.50),
        "p90": lambda v: quantile(sorted(v), 0.90),
        "p95": lambda v: quantile(sorted(v), 0.95),
    }
    batches = [values[b * n // BATCHES : (b + 1) * n // BATCHES] for b in range(BATCHES)]
    out = {}
    for name, f in stats.items():
        per_batch = [f(b) for b in batches]
        centre = sum(per_batch) / BATCHES
        sd = math.sqrt(sum((x - centre) ** 2 for x in per_batch) / (BATCHES - 1))
        out[name] = (f(values), T_19_975 * sd / math.sqrt(BATCHES))
    return out


def ks_two_sample(a, b):
    """Kolmogorov–Smirnov two-sample statistic over all distinct values (ties handled), and
    the asymptotic p-value (Numerical Recipes' Q_KS with Stephens' correction). With ties
    the test is conservative; it assumes independent values."""
    a, b = sorted(a), sorted(b)
    na, nb = len(a), len(b)
    i = j = 0
    d = 0.0
    while i < na and j < nb:
        x = min(a[i], b[j])
        while i < na and a[i] == x:
            i += 1
        while j < nb and b[j] == x:
            j += 1
        d = max(d, abs(i / na - j / nb))
    en = math.sqrt(na * nb / (na + nb))
    lam = (en + 0.12 + 0.11 / en) * d
    p = 0.0
    for k in range(1, 101):
        term = 2.0 * (-1) ** (k - 1) * math.exp(-2.0 * k * k * lam * lam)
        p += term
        if abs(term) < 1e-12:
            break
    return d, min(max(p, 0.0), 1.0)


def cmd_run(args):
    data = load_input(args.input)
    started = time.perf_counter()
    cpu_started = time.process_time()
    responses, busy_s = simulate(data)
    wall_s = time.perf_counter() - started
    cpu_s = time.process_time() - cpu_started
    if args.responses:
        with open(args.responses, "w", encoding="utf-8") as f:
            f.write("\n".join(map(str, responses)) + "\n")
    s = sorted(responses)
    print("engine=simpy", simpy.__version__)
    print(f"customers={len(responses)}")
    print(f"wall_s={wall_s:.3f}")
    print(f"customers_per_s={len(responses) / wall_s:.0f}")
    print(f"cpu_s={cpu_s:.3f}")
    print(f"customers_per_cpu_s={len(responses) / cpu_s:.0f}")
    print(f"mean_response_s={sum(responses) / len(responses):.1f}")
    print(f"p50_response_s={quantile(s, 0.5)} p90_response_s={quantile(s, 0.9)} p95_response_s={quantile(s, 0.95)}")
    for team, busy in zip(data["teams"], busy_s):
        print(f"utilisation {team['id']}={busy / data['horizon_s']:.4f}")


def cmd_compare(args):
    samples = [(path, read_responses(path)) for path in args.responses]
    for path, values in samples:
        if len(values) < 10 * BATCHES:
            raise InputError(f"{path}: {len(values)} responses, need at least {10 * BATCHES}")
    print(f"{'':>10} {'n':>9} {'mean [s]':>18} {'P50 [s]':>14} {'P90 [s]':>14} {'P95 [s]':>14}")
    for path, values in samples:
        summary = batch_summary(values)
        cells = [f"{summary['mean'][0]:9.1f} ± {summary['mean'][1]:5.1f}"] + [
            f"{summary[q][0]:6d} ± {summary[q][1]:5.1f}" for q in ("p50", "p90", "p95")
        ]
        print(f"{path[-10:]:>10} {len(values):9d} " + " ".join(f"{c:>14}" for c in cells))
    (_, a), (_, b) = samples[0], samples[1]
    d, p = ks_two_sample(a, b)
    print(f"ks_statistic={d:.5f} ks_p_value={p:.4g} (all values)")
    # Calls of one run are correlated through the line; every k-th call is nearly independent.
    k = args.thin
    d_thin, p_thin = ks_two_sample(a[::k], b[::k])
    print(f"ks_statistic_thinned={d_thin:.5f} ks_p_value_thinned={p_thin:.4g} (every {k}th call)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the model on a JSON input")
    run.add_argument("input")
    run.add_argument("--responses", help="write every response time [s], one per line")
    compare = sub.add_parser("compare", help="compare two files of response times")
    compare.add_argument("responses", nargs=2)
    compare.add_argument("--thin", type=int, default=50, help="keep every k-th call for the second KS test")
    args = parser.parse_args()
    try:
        cmd_run(args) if args.command == "run" else cmd_compare(args)
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
