#!/usr/bin/env bash
# Rerun the benchmarks whose output files the docs include, in order, and rewrite every
# file under benchmarks/results/ that docs/user_guide/*.md includes (tests/test_docs.py
# checks that no measured table is typed by hand, and the README's accuracy table against
# calendar*.md). Run from anywhere:
#
#     benchmarks/regenerate.sh                  # every file (over an hour on two cores)
#     benchmarks/regenerate.sh walk_forward intervals   # only these steps
#
# Steps and their run time on two cores shared with other work (measured when this script
# was written for the last five; estimated from the seconds the others report for the rest;
# the seconds a file reports are those of its run):
#   sessions           sessions.md, sessions.csv                     ~10 s
#   calendar           calendar.md                                   ~3 min
#   calendar_lstm      calendar_lstm_seed0.md .. seed2.md            ~5 min per seed
#   calendar_intervals calendar_intervals.md                         ~1 min
#   interval_groups    interval_groups.md, interval_cases.md         ~3 min
#   net_calendar       net_calendar.md (+ .jsonl), seeds 0, 1, 2      ~25 min
#   warm_default       warm_default.md                               ~15 min
#   accuracy_sim       accuracy_sim.md                               ~5 min
#   walk_forward       walk_forward.md, walk_forward_2023.md         ~4.5 min
#   online_intervals   online_intervals.md                           ~15 s
#   warm_refits        warm_refits.md                                ~1 min
#   intervals          intervals.md                                  ~3 min
#   distribution       distribution.md                               ~17 min
#   report             report/{recommendation,forecast,summary}.csv/.md: the README's
#                      forecast and predict's default model (tests/test_docs.py)  ~4 min
set -euo pipefail
cd "$(dirname "$0")/.."
# One thread per process: torch's default oversubscribes two cores shared with other work.
export OMP_NUM_THREADS=1
R=benchmarks/results
ALL=(sessions calendar calendar_lstm calendar_intervals interval_groups net_calendar
    warm_default accuracy_sim walk_forward online_intervals warm_refits intervals distribution
    report)

bench() {
    echo "+ python benchmarks/$*" >&2
    nice -n 10 python "benchmarks/$@"
}

step() {
    case "$1" in
    sessions) bench bench_sessions.py --out "$R/sessions" ;;
    calendar) bench bench_calendar.py --data real sim --horizons 1 5 --out "$R/calendar.md" ;;
    calendar_lstm)
        for seed in 0 1 2; do
            bench bench_calendar.py --data real --horizons 1 5 --groups none default --nets \
                --seeds "$seed" --out "$R/calendar_lstm_seed$seed.md"
        done
        ;;
    calendar_intervals)
        bench bench_calendar.py --intervals --horizons 1 5 --out "$R/calendar_intervals.md"
        ;;
    interval_groups)
        bench bench_interval_groups.py --out "$R/interval_groups.md"
        bench bench_interval_groups.py --cases --out "$R/interval_cases.md"
        ;;
    net_calendar)
        # The table holds the latest measurement of each cell of the log (kept: it also
        # holds cells that are measured for seed 0 only).
        bench bench_net_calendar.py --seeds 0 1 2 --log "$R/net_calendar.jsonl" \
            --table "$R/net_calendar.md"
        ;;
    warm_default)
        # The script appends to its file.
        rm -f "$R/warm_default.md"
        bench bench_warm_default.py --caps 1 2 3 5 none --default --continue \
            --out "$R/warm_default"
        ;;
    accuracy_sim)
        bench bench_accuracy.py --data sim --log /dev/null --out "$R/accuracy_sim.md"
        ;;
    walk_forward)
        bench bench_walk_forward.py --out "$R/walk_forward.md"
        bench bench_walk_forward.py --start 2023-01-01 --out "$R/walk_forward_2023.md"
        ;;
    online_intervals) bench bench_online_intervals.py --out "$R/online_intervals.md" ;;
    warm_refits) bench bench_backtest.py --repeats 3 --out "$R/warm_refits.md" ;;
    intervals) bench bench_intervals.py --out "$R/intervals.md" ;;
    distribution)
        # Every row in CV; the walk-forward only for the rows that refit cheaply (the nets
        # and the cross-fitted CQR of linear quantiles are too slow there on two cores).
        # OMP_NUM_THREADS=1 (above) matters here: statsmodels' quantile regression was
        # ten times slower with a multi-threaded BLAS on the busy machine.
        bench bench_distribution.py --rows "conformal bands" "conformal distribution" \
            "linear quantile" "linear quantile + CQR" \
            "LSTM quantile head, seed 0" "LSTM quantile head, seed 0 + CQR" \
            "LSTM gaussian head, seed 0" "LSTM gaussian head, seed 0 + CQR" \
            "LSTM quantile head, seed 1" "LSTM quantile head, seed 1 + CQR" \
            "LSTM gaussian head, seed 1" "LSTM gaussian head, seed 1 + CQR" \
            --walk-rows "conformal bands" "conformal distribution" "linear quantile" \
            --out "$R/distribution.md"
        ;;
    report)
        # `sklearn-vix report` on the shipped data; its tables are kept, its page and
        # figures are not.
        out=$(mktemp -d)
        echo "+ python -m sklearn_vix report --out $out" >&2
        nice -n 10 python -m sklearn_vix report --quiet --out "$out"
        mkdir -p "$R/report"
        for table in recommendation forecast summary; do
            cp "$out/$table.csv" "$out/$table.md" "$R/report/"
        done
        rm -rf "$out"
        ;;
    *)
        echo "unknown step '$1'; the steps are: ${ALL[*]}" >&2
        exit 2
        ;;
    esac
}

for name in "${@:-${ALL[@]}}"; do
    began=$SECONDS
    step "$name"
    echo "== $name: $((SECONDS - began)) s" >&2
done
