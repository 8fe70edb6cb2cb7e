"""The outcome of a walk-forward backtest: forecasts by origin and step, fits, metrics."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..calendar import sessions_after
from ..metrics import crps_from_quantiles, is_crps_grid, qlike_loss

__all__ = ["BacktestResult"]

_COLUMNS = ["origin", "step", "target_date", "forecast", "lower", "upper", "actual", "refit"]


@dataclass
class BacktestResult:
    """Outcome of :func:`backtest`.

    Attributes
    ----------
    forecasts : DataFrame
        One row per origin and step: ``origin`` (the index label of the row forecast
        from), ``step`` (1..horizon), ``target_date`` (the session ``step`` rows later;
        past the data's end, the next business days), ``forecast``, ``lower`` and
        ``upper`` (NaN for a model without intervals), ``actual`` and ``refit`` (the
        model version, 0 for the first fit).
    quantiles : DataFrame or None
        With ``metrics`` naming ``"crps"`` or ``"quantile_pinball"`` (a quantile
        forecaster), its quantiles of each forecast, one row per row of
        ``forecasts`` (same index) and one column per level: 0.05, 0.10, ..., 0.95, or
        the model's own fixed levels (its ``quantiles``). They are read once per refit
        block, from what the model knows at the block's first origin (an online interval
        forecaster's calibration scores before the block's updates). None otherwise.
    fits : DataFrame
        One row per refit: ``refit``, ``origin`` (the first origin it forecasts),
        ``train_start`` and ``train_end`` (index labels of the training rows),
        ``n_train``, ``warm`` (continued from the previous weights), ``fit_time`` and
        ``predict_time`` (seconds; intervals and online updates included).
    metrics : DataFrame
        The metrics of :func:`compare_models` on all forecast origins, one row named
        ``"all"``: ``rmse``, ``mae``, ``r2``, ``skill`` and ``rmse_ratio`` against
        persistence, ``qlike``, per-step RMSE for several steps, and for interval models
        ``coverage``, ``width``, ``interval_score``, ``pinball`` and coverage per stress
        regime; or those named by ``backtest(metrics=...)``, among which ``crps`` and
        ``quantile_pinball`` of :attr:`quantiles`.
    table : DataFrame
        The same metrics per refit block (``refit`` column), as ``compare_models``'
        table per fold.
    coverage : float or None
        Nominal coverage of the intervals, None without intervals.
    estimators : list of estimator or None
        Every refit's fitted model, in order, with ``backtest(return_estimator=True)``;
        None otherwise.
    """

    forecasts: pd.DataFrame
    fits: pd.DataFrame
    metrics: pd.DataFrame = field(default_factory=pd.DataFrame)
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    coverage: float | None = None
    estimators: list | None = None
    _run: object = field(default=None, repr=False, compare=False)
    quantiles: pd.DataFrame | None = None

    def extend(self, X, y, *, progress: bool | None = None) -> BacktestResult:
        """Continue the backtest on data with more rows, without refitting the past.

        ``X`` and ``y`` start with this backtest's rows, unchanged, and add later ones
        (the next days of the same file). The last refit goes on forecasting until its
        block is full, from the state it had at this backtest's last origin (an online
        interval forecaster resumes with the outcomes it was still waiting for), then
        the schedule's next refits run, warm from the last one for a net. The result is
        the one a full backtest on the longer data gives, at the cost of the new refits
        only.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            This backtest's rows followed by new ones.
        y : Series, DataFrame or array-like
            Their targets.
        progress : bool or None, default=None
            Show a progress bar; None shows one when stderr is a terminal.

        Returns
        -------
        result : BacktestResult
            The continued backtest; this one is left as it was.

        Examples
        --------
        >>> from sklearn_vix import HARRegressor
        >>> from sklearn_vix.datasets import load_vix_sim, make_supervised
        >>> from sklearn_vix.model_selection import backtest
        >>> X, y = make_supervised(load_vix_sim().iloc[:700])
        >>> short = backtest(HARRegressor(), X.iloc[:650], y.iloc[:650], start=600)
        >>> full = backtest(HARRegressor(), X, y, start=600)
        >>> short.extend(X, y).forecasts.equals(full.forecasts)
        True
        """
        from ._backtest import extend_backtest

        return extend_backtest(self, X, y, progress=progress)

    def wide(self, column: str = "forecast") -> pd.DataFrame:
        """``column`` of :attr:`forecasts` as origins x steps."""
        return self.forecasts.pivot(index="origin", columns="step", values=column)

    def losses(self, step: int | None = None, loss: str = "squared") -> pd.Series:
        """Per-origin loss of step ``step`` (the last when None), indexed by origin.

        ``loss`` is ``"squared"``, ``"absolute"``, ``"qlike"``
        (:func:`~sklearn_vix.metrics.qlike_loss`) or, for a quantile forecaster,
        ``"crps"`` (:func:`~sklearn_vix.metrics.crps_from_quantiles` of each origin's
        :attr:`quantiles`): the input of :func:`~sklearn_vix.stats.model_confidence_set`
        and of :func:`~sklearn_vix.stats.diebold_mariano`.
        """
        step = int(self.forecasts["step"].max()) if step is None else step
        rows = self.forecasts[self.forecasts["step"] == step]
        if rows.empty:
            raise ValueError(f"step={step} is not a step of these forecasts.")
        truth, forecast = rows["actual"].to_numpy(), rows["forecast"].to_numpy()
        if loss == "crps":
            values = self._crps(rows.index, truth)
        elif loss == "squared":
            values = (forecast - truth) ** 2
        elif loss == "absolute":
            values = np.abs(forecast - truth)
        elif loss == "qlike":
            values = qlike_loss(truth, forecast)
        else:
            raise ValueError(
                f"loss must be 'squared', 'absolute', 'qlike' or 'crps', got {loss!r}."
            )
        return pd.Series(values, index=pd.Index(rows["origin"], name="origin"), name=loss)

    def _crps(self, rows: pd.Index, truth: np.ndarray) -> np.ndarray:
        if self.quantiles is None or not is_crps_grid(self.quantiles.columns):
            raise ValueError(
                "loss='crps' needs the quantiles of a quantile forecaster at evenly spaced "
                "levels symmetric about 0.5; this backtest has "
                + (
                    "none."
                    if self.quantiles is None
                    else f"levels {self.quantiles.columns.tolist()}."
                )
            )
        levels = self.quantiles.columns.to_numpy(dtype=np.float64)
        values = self.quantiles.loc[rows].to_numpy()
        known = ~np.isnan(truth)
        crps = np.full(len(truth), np.nan)
        # Each origin as a step of one sample: raw_values gives the CRPS of each.
        crps[known] = crps_from_quantiles(
            truth[None, known], values[None, known], levels, multioutput="raw_values"
        )
        return crps

    def __str__(self) -> str:
        fit_time = self.fits["fit_time"]
        text = (
            f"{self.forecasts['origin'].nunique()} origins, {len(self.fits)} fits "
            f"({fit_time.sum():.1f} s, median {fit_time.median():.3f} s)\n"
        )
        return text + self.metrics.to_string(float_format=lambda v: f"{v:.4f}")


def _target_dates(index: pd.Index, origins: np.ndarray, horizon: int) -> np.ndarray:
    """The session each forecast is for: the k-th NYSE session after its origin's date.

    By the calendar, not by rows: the row after an origin is not its target when a
    session is missing from the data. Without dates, the label ``k`` rows later.
    """
    if isinstance(index, pd.DatetimeIndex):
        targets = pd.DatetimeIndex(sessions_after(index[origins], horizon).ravel())
        # Dated as the data is: a session at midnight in the index's time zone.
        targets = targets.tz_localize(index.tz) if index.tz is not None else targets
        return np.asarray(targets, dtype=object if index.tz else None).reshape(-1, horizon)
    steps = origins[:, None] + np.arange(1, horizon + 1)[None, :]
    extra = max(int(steps.max()) - len(index) + 1, 0)
    labels = index.to_numpy()
    if extra:
        labels = np.concatenate([labels, [np.nan] * extra])
    return labels[steps]


def _forecast_frame(blocks, index, y, horizon) -> pd.DataFrame:
    origins = np.concatenate([b.origins for b in blocks])
    forecast = np.concatenate([b.forecast for b in blocks])
    has_bounds = blocks[0].bounds is not None
    bounds = (
        np.concatenate([b.bounds for b in blocks])
        if has_bounds
        else np.full((*forecast.shape, 2), np.nan)
    )
    refit = np.concatenate([np.full(len(b.origins), b.refit) for b in blocks])
    actual = y.to_numpy(dtype=np.float64).reshape(len(y), -1)[origins]
    n = len(origins)
    frame = pd.DataFrame(
        {
            "origin": np.repeat(index.to_numpy()[origins], horizon),
            "step": np.tile(np.arange(1, horizon + 1), n),
            "target_date": _target_dates(index, origins, horizon).ravel(),
            "forecast": forecast.ravel(),
            "lower": bounds[..., 0].ravel(),
            "upper": bounds[..., 1].ravel(),
            "actual": actual.ravel(),
            "refit": np.repeat(refit, horizon),
        }
    )
    return frame[_COLUMNS]


def _quantile_frame(blocks, levels, index) -> pd.DataFrame | None:
    """The blocks' quantiles, one row per forecast row (origin-major, as _forecast_frame)."""
    if levels is None or blocks[0].quantiles is None:
        return None
    values = np.concatenate([b.quantiles for b in blocks]).reshape(-1, len(levels))
    return pd.DataFrame(values, index=index, columns=pd.Index(levels, name="quantile"))


def _fits_frame(blocks, index) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "refit": [b.refit for b in blocks],
            "origin": [index[b.origins[0]] for b in blocks],
            "train_start": [index[b.train.start] for b in blocks],
            "train_end": [index[b.train.stop - 1] for b in blocks],
            "n_train": [b.train.stop - b.train.start for b in blocks],
            "warm": [b.warm for b in blocks],
            "fit_time": [b.fit_time for b in blocks],
            "predict_time": [b.predict_time for b in blocks],
        }
    )
