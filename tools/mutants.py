"""Deliberate bugs (mutants) in the look-ahead guards, and the tests that must catch them.

Each mutant breaks one line that keeps the future out of the past. The script copies the
repository to a temporary folder, applies one mutant at a time there (the working tree is
never touched, so it is safe while other processes run), runs the mutant's tests with
``python -m pytest -x -q -p no:cacheprovider`` and reports KILLED (a test failed: good)
or SURVIVED (every test passed: the guard is untested). It first runs all the listed
tests on the unmutated copy, since a test that fails anyway kills nothing.

Run it from the repository root::

    python tools/mutants.py                  # every mutant
    python tools/mutants.py conformal-purge  # only the named ones

The exit status is 1 when a mutant survives, when its tests cannot run (a renamed test
id) or when its ``original`` text is not found exactly once in its file: a refactor of
a guarded line must update the mutant, never silently disarm it.

Adding a mutant is one entry in ``MUTANTS``: a name, the file, the exact original text
(whitespace included, found exactly once), its replacement, and the few test node ids
that must kill it, e.g.::

    Mutant(
        "calendar-features-use-tomorrow",
        "sklearn_vix/preprocessing/_calendar.py",
        "days_to_expiry = expiry - today",
        "days_to_expiry = expiry - today - 1",
        ["tests/test_preprocessing.py::test_calendar_features_are_known_at_t"],
    ),

Keep each selection to the tests written for that guard, so the whole run stays short.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
PYTEST = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
TIMEOUT_S = 600


class Mutant(NamedTuple):
    name: str
    path: str
    original: str
    replacement: str
    tests: list[str]


MUTANTS = [
    Mutant(
        "fold-continuation-one-row-early",
        "sklearn_vix/preprocessing/_history.py",
        "        return index[-1] + 1\n",
        "        return index[-1]\n",
        ["tests/test_preprocessing.py::test_integer_index_continues_by_one"],
    ),
    Mutant(
        "fold-history-ends-one-row-early",
        "sklearn_vix/preprocessing/_history.py",
        "self.history_ = X_array[len(X_array) - n_history :].copy()",
        "self.history_ = X_array[len(X_array) - n_history - 1 : -1].copy()",
        [
            "tests/test_preprocessing.py::test_test_fold_is_completed_from_the_end_of_the_fit_data",
        ],
    ),
    Mutant(
        "quantiles-read-the-rows-after",
        "sklearn_vix/intervals/_conformal.py",
        "        centre, scale = self._centre_scale(X)\n        scores = np.empty",
        "        centre, scale = (a[::-1] for a in self._centre_scale(X.iloc[::-1]))\n"
        "        scores = np.empty",
        [
            "tests/test_quantiles.py::test_changing_the_future_leaves_earlier_quantiles_unchanged",
        ],
    ),
    Mutant(
        "conformal-purge",
        "sklearn_vix/intervals/_conformal.py",
        "        purge = n_steps - 1\n",
        "        purge = 0\n",
        [
            "tests/test_intervals.py::test_the_rows_whose_targets_reach_a_calibration_block"
            "_never_train_its_model",
        ],
    ),
    Mutant(
        "conformal-update-delay",
        "sklearn_vix/intervals/_online.py",
        "        pool, delay = pools[k], k + 1\n",
        "        pool, delay = pools[k], k\n",
        ["tests/test_intervals.py::test_online_intervals_wait_for_each_step_outcome"],
    ),
    Mutant(
        "conformal-volatility-scale-centred",
        "sklearn_vix/intervals/_scale.py",
        "changes.rolling(w, min_periods=1).mean()",
        "changes.rolling(w, min_periods=1, center=True).mean()",
        ["tests/test_intervals.py::test_changing_the_future_leaves_earlier_intervals_unchanged"],
    ),
    Mutant(
        "range-scaling-from-the-transformed-rows",
        "sklearn_vix/preprocessing/_features.py",
        "(log_range - self.mean_) / self.scale_",
        "(log_range - log_range[recorded].mean()) / log_range[recorded].std()",
        [
            "tests/test_preprocessing.py::test_range_scaling_uses_the_fit_rows_only",
            "tests/test_preprocessing.py::test_feature_transformers_never_see_future_rows",
        ],
    ),
    Mutant(
        "early-stopping-purge",
        "sklearn_vix/neural/_base.py",
        "        train_stop = n - n_valid - self._n_purged()\n",
        "        train_stop = n - n_valid\n",
        [
            "tests/test_neural.py::test_validation_block_is_the_latest_training_rows_after_a_purge",
            "tests/test_neural.py::test_validation_and_purged_targets_never_train_the_weights",
        ],
    ),
    Mutant(
        "num-threads-ignored",
        "sklearn_vix/neural/_base.py",
        '        return _torch_threads(1 if self.num_threads == "auto" else self.num_threads)\n',
        "        return nullcontext()\n",
        [
            "tests/test_neural.py::test_num_threads_is_applied_and_restored",
            "tests/test_neural.py::test_the_default_trains_on_one_thread_whatever_pytorch_is_set_to",
        ],
    ),
    Mutant(
        "calendar-features-read-the-next-row",
        "sklearn_vix/preprocessing/_calendar.py",
        "        targets = sessions_after(origins, self.horizon_ + 1, published=True)\n",
        "        targets = sessions_after(origins, self.horizon_ + 1, published=True)\n"
        "        targets[:-1, 0] = origins[1:]\n",
        ["tests/test_calendar_features.py::test_changing_or_deleting_future_rows_changes_nothing"],
    ),
    Mutant(
        "calendar-features-foresee-unscheduled-closures",
        "sklearn_vix/preprocessing/_calendar.py",
        "        targets = sessions_after(origins, self.horizon_ + 1, published=True)\n",
        "        targets = sessions_after(origins, self.horizon_ + 1)\n",
        [
            "tests/test_calendar_features.py::"
            "test_origins_before_unscheduled_closures_see_the_published_schedule"
        ],
    ),
    Mutant(
        "closed-days-foresee-unscheduled-closures",
        "sklearn_vix/calendar.py",
        "    targets = sessions_after(origins, horizon, published=True)\n",
        "    targets = sessions_after(origins, horizon)\n",
        ["tests/test_calendar.py::test_closed_days_never_see_an_unscheduled_closure"],
    ),
    Mutant(
        "backtest-trains-on-a-target-after-the-origin",
        "sklearn_vix/model_selection/_split.py",
        "stop = first_origin - horizon + 1  # exclusive",
        "stop = first_origin - horizon + 2  # exclusive",
        [
            "tests/test_backtest.py::test_forecast_at_origin_never_changes_when_later_rows_change[har]"
        ],
    ),
    Mutant(
        "backtest-block-ends-knowing-an-outcome-early",
        "sklearn_vix/model_selection/_backtest.py",
        "    values[rows + np.arange(1, values.shape[1] + 1)[None, :] > last] = np.nan\n",
        "    values[rows + np.arange(1, values.shape[1] + 1)[None, :] > last + 2] = np.nan\n",
        ["tests/test_backtest.py::test_a_continued_backtest_is_the_full_one[350-conformal]"],
    ),
    Mutant(
        "refit-policy-sees-an-outcome-early",
        "sklearn_vix/model_selection/_backtest.py",
        'frame.loc[origins + frame["step"].to_numpy() > now, "actual"] = np.nan',
        'frame.loc[origins + frame["step"].to_numpy() > now + 1, "actual"] = np.nan',
        [
            "tests/test_backtest.py::"
            "test_a_refit_policy_sees_only_what_is_known_and_decides_the_refits"
        ],
    ),
    Mutant(
        "online-interval-reads-an-outcome-a-day-early",
        "sklearn_vix/intervals/_online.py",
        "        if i - delay >= 0:",
        "        if i - delay + 1 >= 0:",
        [
            "tests/test_online_intervals.py::"
            "test_online_intervals_never_use_an_outcome_before_it_is_known[pid]"
        ],
    ),
]


def _copy_repository(destination: Path) -> None:
    """Copy the files git knows of (tracked, or new and not ignored), nothing built."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for name in filter(None, (entry.decode() for entry in listed)):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _pytest(copy: Path, tests: list[str]) -> tuple[int, float, str]:
    env = {**os.environ, "PYTHONPATH": str(copy)}
    start = time.perf_counter()
    try:
        result = subprocess.run(
            [*PYTEST, *tests], cwd=copy, env=env, capture_output=True, text=True, timeout=TIMEOUT_S
        )
    except subprocess.TimeoutExpired:
        return -1, time.perf_counter() - start, f"timed out after {TIMEOUT_S} s"
    return result.returncode, time.perf_counter() - start, result.stdout + result.stderr


def _check_original(mutant: Mutant) -> str | None:
    """Why the mutant cannot be applied to the working tree's file, or None."""
    path = ROOT / mutant.path
    if not path.is_file():
        return f"{mutant.path} does not exist"
    count = path.read_text().count(mutant.original)
    if count != 1:
        return f"its original text occurs {count} times in {mutant.path} (expected once)"
    return None


def _run_mutant(copy: Path, mutant: Mutant) -> tuple[str, float, str]:
    path = copy / mutant.path
    source = path.read_text()
    path.write_text(source.replace(mutant.original, mutant.replacement))
    try:
        code, seconds, output = _pytest(copy, mutant.tests)
    finally:
        path.write_text(source)
    # pytest exits 1 when a test failed; 0 means every test passed under the bug; any
    # other code (no tests collected, usage error, crash) means the verdict is unknown.
    verdict = {0: "SURVIVED", 1: "KILLED", -1: "KILLED (timeout)"}.get(code, f"ERROR ({code})")
    return verdict, seconds, output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="mutants to run (default: all)")
    args = parser.parse_args(argv)
    known = {mutant.name: mutant for mutant in MUTANTS}
    unknown = [name for name in args.names if name not in known]
    if unknown:
        parser.error(f"unknown mutant(s) {unknown}; known: {sorted(known)}")
    chosen = [known[name] for name in args.names] if args.names else MUTANTS

    broken = {mutant.name: _check_original(mutant) for mutant in chosen}
    for name, reason in broken.items():
        if reason:
            print(f"MISSING   {name}: {reason}")
    runnable = [mutant for mutant in chosen if not broken[mutant.name]]

    start = time.perf_counter()
    failed = any(broken.values())
    with tempfile.TemporaryDirectory(prefix="sklearn-vix-mutants-") as folder:
        copy = Path(folder)
        _copy_repository(copy)
        tests = list(dict.fromkeys(test for mutant in runnable for test in mutant.tests))
        code, seconds, output = _pytest(copy, tests)
        if code != 0:
            print(output)
            print(f"BASELINE  the unmutated tests do not pass (pytest exit {code}): stopping.")
            return 1
        print(f"BASELINE  {len(tests)} test ids pass unmutated ({seconds:.1f} s)")
        for mutant in runnable:
            verdict, seconds, output = _run_mutant(copy, mutant)
            killer = next(
                (line[7:].split(" - ")[0] for line in output.splitlines() if line[:7] == "FAILED "),
                "",
            )
            print(f"{verdict:<9} {mutant.name} ({seconds:.1f} s) {killer}".rstrip())
            if not verdict.startswith("KILLED"):
                failed = True
                print(output)
    print(f"{len(chosen)} mutant(s) in {time.perf_counter() - start:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
