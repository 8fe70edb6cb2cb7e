"""PyTorch's threads: the README quick start alone, beside a busy process, in joblib and Dask.

The quick start (both Python blocks of README.md, as a user pastes them) runs in a fresh
Python process per run, timed from start to exit, with the nets' default
``num_threads="auto"`` (one thread) and with ``num_threads=None`` (PyTorch's own default:
one thread per core). Conditions:

- ``alone``: nothing else running;
- ``busy``: beside one process that spins on one core (as a second job on the machine);
- ``joblib``: the grid search with ``n_jobs=2`` (loky workers);
- ``dask``: the grid search on a local Dask cluster of two one-thread workers.

Each cell is run ``--repeats`` times; printed: the median and the spread (min-max) in
seconds, and the ratio of each condition's median to the same setting's median alone
(for joblib and Dask: to the sequential search; two workers cost more than they save on
a search this small).
OMP_NUM_THREADS and MKL_NUM_THREADS are removed from the children's environment, so that
PyTorch's default is the machine's.

    nice -n 5 python benchmarks/bench_threads.py --repeats 3 --out benchmarks/results/threads.md
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
SPIN = "while True: pass"
DASK = """
from dask.distributed import Client, LocalCluster
import joblib
client = Client(LocalCluster(n_workers=2, threads_per_worker=1, processes=True))
joblib.parallel_config(backend="dask").__enter__()
"""


def quick_start() -> str:
    return "\n".join(BLOCK.findall((ROOT / "README.md").read_text()))


def program(threads: str, condition: str) -> str:
    code = quick_start()
    if threads == "None":
        code = code.replace(
            "LSTMRegressor(max_epochs", "LSTMRegressor(num_threads=None, max_epochs"
        )
        assert "num_threads=None" in code, "the quick start's LSTMRegressor( call moved"
    if condition in ("joblib", "dask"):
        code = code.replace("refit=False,", "refit=False, n_jobs=2,", 1)
        assert "n_jobs=2" in code, "the quick start's GridSearchCV(refit=False) moved"
    if condition == "dask":
        code = 'if __name__ == "__main__":\n' + "\n".join(
            "    " + line for line in (DASK + code).splitlines()
        )
    return code


def environment() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    env["PYTHONWARNINGS"] = "ignore"
    return env


def timed(code: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, env=environment(), cwd=ROOT
    )
    return time.perf_counter() - start


def measure(threads: str, condition: str, repeats: int) -> list[float]:
    code = program(threads, condition)
    spinner = subprocess.Popen([sys.executable, "-c", SPIN]) if condition == "busy" else None
    try:
        return [timed(code) for _ in range(repeats)]
    finally:
        if spinner is not None:
            spinner.kill()
            spinner.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--conditions", nargs="+", default=["alone", "busy", "joblib", "dask"])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rows = []
    medians = {}
    for threads in ("auto", "None"):
        for condition in args.conditions:
            times = measure(threads, condition, args.repeats)
            median = statistics.median(times)
            medians[threads, condition] = median
            alone = medians.get((threads, "alone"))
            ratio = f"{median / alone:.2f}" if alone else "n/a"
            rows.append(
                f"| {threads} | {condition} | {median:.1f} | {min(times):.1f}-{max(times):.1f} "
                f"| {ratio} |"
            )
            print(rows[-1], flush=True)
    cores = os.cpu_count()
    table = "\n".join(
        [
            f"README quick start, {args.repeats} runs per cell, {cores} cores "
            f"(`python benchmarks/bench_threads.py`).",
            "",
            "| num_threads | condition | median (s) | spread (s) | ÷ alone |",
            "|---|---|---|---|---|",
            *rows,
        ]
    )
    print(table)
    if args.out:
        args.out.write_text(table + "\n")


if __name__ == "__main__":
    main()
