"""Screen make_forecaster variants on the real VIX: what each ingredient adds.

For each variant (a set of ``make_forecaster`` options and a net), fits every fold of
``TimeSeriesSplit(5, gap=h-1)`` on the real series and appends one JSON line per fold to
``--log``: the RMSE of day t+h with Duan smearing, with the half-variance correction and
uncorrected (one fit serves all three), and the out-of-fold forecasts, so that seed
ensembles and Diebold-Mariano tests are computed later without refitting.

    nice -n 10 python benchmarks/bench_skill_variants.py --horizon 5 --seeds 0 \
        --variants log log_har log_range log_range_indicator --log variants.jsonl
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.model_selection import TimeSeriesSplit

from sklearn_vix import GRURegressor, HARRegressor, LSTMRegressor, make_forecaster
from sklearn_vix.datasets import load_vix_csv, make_supervised

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "vix-daily-1990-2023.csv"


class QLikeLoss(torch.nn.Module):
    """QLIKE of the variance proxy VIX^2 for a net trained on standardized log VIX.

    With ``d = log VIX^2 - forecast of log VIX^2 = 2 * scale * (target - prediction)``
    (``scale`` the target's standard deviation), QLIKE is ``exp(d) - d - 1``.
    """

    def __init__(self, scale: float = 0.35):
        super().__init__()
        self.scale = scale

    def forward(self, prediction, target):
        d = 2.0 * self.scale * (target - prediction)
        return (torch.exp(d) - d - 1.0).mean()


def net(cell: str, seed: int, **kwargs):
    kind = {"lstm": LSTMRegressor, "gru": GRURegressor}[cell]
    return kind(random_state=seed, num_threads=1, **kwargs)


HAR = {"har_windows": (5, 22)}
RANGE = {"daily_range": "standardize"}
VARIANTS = {
    "log": {},
    "log_har": HAR,
    "log_range": RANGE,
    "log_range_indicator": {"daily_range": "indicator"},
    "log_range_zero": {"daily_range": "zero"},
    "log_har_range": {**HAR, **RANGE},
    "log_har_range_lb22": {**HAR, **RANGE, "lookback": 22},
    "log_lb22": {"lookback": 22},
    "log_qlike": {"criterion": QLikeLoss},
}


def forecaster(variant: str, cell: str, seed: int):
    options = dict(VARIANTS[variant])
    criterion = options.pop("criterion", "mse")
    return make_forecaster(net(cell, seed, criterion=criterion), **options)


def rmse(truth, prediction) -> float:
    return float(np.sqrt(np.mean((truth - prediction) ** 2)))


def last(values) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    return values[:, -1] if values.ndim == 2 else values


def corrections(forecaster, X_train, y_train) -> dict:
    """The three back-transforms of one fitted LogTargetRegressor, per step."""
    log_y = np.log(np.asarray(y_train, dtype=np.float64)).reshape(len(y_train), -1)
    fitted = np.asarray(forecaster.regressor_.predict(X_train)).reshape(log_y.shape)
    residuals = log_y - fitted
    return {
        "smearing": np.exp(residuals).mean(axis=0)[-1],
        "variance": np.exp(residuals.var(axis=0) / 2)[-1],
        "none": 1.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=REAL)
    parser.add_argument("--horizon", type=int, default=5)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--cells", nargs="+", default=["lstm"])
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--log", type=Path, default=Path("variants.jsonl"))
    args = parser.parse_args()
    torch.set_num_threads(1)
    X, y = make_supervised(load_vix_csv(args.real), horizon=args.horizon)
    folds = list(TimeSeriesSplit(5, gap=args.horizon - 1).split(X))
    for variant in args.variants:
        for cell in args.cells:
            for seed in args.seeds:
                ratios = []
                for fold, (train, test) in enumerate(folds):
                    start = time.perf_counter()
                    model = forecaster(variant, cell, seed)
                    model.fit(X.iloc[train], y.iloc[train])
                    median = last(np.exp(model.regressor_.predict(X.iloc[test])))
                    truth = last(y.iloc[test])
                    har = last(
                        HARRegressor(log=True)
                        .fit(X.iloc[train], y.iloc[train])
                        .predict(X.iloc[test])
                    )
                    naive = X["vix"].to_numpy()[test]
                    factors = corrections(model, X.iloc[train], y.iloc[train])
                    record = {
                        "variant": variant,
                        "cell": cell,
                        "seed": seed,
                        "horizon": args.horizon,
                        "fold": fold,
                        "seconds": time.perf_counter() - start,
                        "persistence": rmse(truth, naive),
                        "har_log": rmse(truth, har),
                        **{f"rmse_{k}": rmse(truth, median * f) for k, f in factors.items()},
                        "factors": {k: float(f) for k, f in factors.items()},
                        "test_index": [int(i) for i in test],
                        "median": median.tolist(),
                    }
                    ratios.append(record["rmse_smearing"] / record["persistence"])
                    with args.log.open("a") as f:
                        f.write(json.dumps(record) + "\n")
                    print(
                        f"{variant} {cell} seed {seed} h={args.horizon} fold {fold}: "
                        f"{record['rmse_smearing']:.4f} (none {record['rmse_none']:.4f}, "
                        f"HAR {record['har_log']:.4f}, persistence {record['persistence']:.4f}) "
                        f"{record['seconds']:.0f}s",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
