"""A calibrated simulator of VIX-like daily data and its Bayes-optimal forecast."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from numbers import Integral, Real

import numpy as np
import pandas as pd
from scipy.special import expit, ndtr

from .._compat import Interval, validate_params

__all__ = ["load_vix_sim", "make_vix_sim"]

# Parameters estimated on the real CBOE VIX close (1990-2026): OLS for the HAR mean in logs,
# maximum likelihood on its residuals for the vol-of-vol and the shock mixture.
_MEAN = dict(c=0.02435, b_d=0.89242, b_w=0.05200, b_m=0.03462, b_y=0.01253)
_VOL = dict(w=0.006725, a=0.0, a_up=0.18425, g=0.82687)
_SHOCK = dict(p0=-1.9652, p1=-0.2826, mu_j=1.0591, s_j=1.6257)
_SP500 = dict(mu_r=0.000328, kappa=0.8658, rho=-0.7599)
_RATE = dict(k_i=0.000646, mu_i=3.701, s_i=0.0604, rho_i=-0.138, start=7.94)
_XBAR = _MEAN["c"] / (1.0 - (_MEAN["b_d"] + _MEAN["b_w"] + _MEAN["b_m"] + _MEAN["b_y"]))
_WINDOWS = (5, 22, 252)
_BURN_IN = 2000
# Keeps the calm component's variance positive; reached only for VIX below 1.
_MAX_SPIKE_PROBABILITY = 0.25


def _spike_probability(x):
    p = expit(_SHOCK["p0"] + _SHOCK["p1"] * (x - _XBAR))
    return np.minimum(p, _MAX_SPIKE_PROBABILITY)


def _calm_component(p):
    """Mean and sd of the non-spike component so that the shock has mean 0 and variance 1."""
    mu_j, s_j = _SHOCK["mu_j"], _SHOCK["s_j"]
    mu0 = -p * mu_j / (1.0 - p)
    var0 = (1.0 - p * (s_j**2 + mu_j**2)) / (1.0 - p) - mu0**2
    return mu0, np.sqrt(var0)


def _draw_shock(rng, p, size=None):
    mu0, s0 = _calm_component(p)
    spike = rng.random(size) < p
    z = rng.standard_normal(size)
    return np.where(spike, _SHOCK["mu_j"] + _SHOCK["s_j"] * z, mu0 + s0 * z)


def _next_vol(s, u):
    return _VOL["w"] + (_VOL["a"] + _VOL["a_up"] * (u > 0)) * np.abs(u) + _VOL["g"] * s


def _expected_exp(m, s, p):
    """E[exp(m + s e)] for the two-component shock e, in closed form."""
    mu0, s0 = _calm_component(p)
    mu_j, s_j = _SHOCK["mu_j"], _SHOCK["s_j"]
    mix = (1.0 - p) * np.exp(s * mu0 + 0.5 * s**2 * s0**2) + p * np.exp(
        s * mu_j + 0.5 * s**2 * s_j**2
    )
    return np.exp(m) * mix


@dataclass
class _Path:
    """One simulated path with the state every forecast origin needs."""

    x: np.ndarray  # log VIX, burn-in and the 252-day history included
    vol: np.ndarray  # vol[t] = s(t + 1), known at t
    mean: np.ndarray  # m(t), the conditional mean of x(t + 1)
    sp500: np.ndarray
    rate: np.ndarray
    exog_beta: float


def _har_mean(x_t, sums, exog):
    """m(t) from x(t) and the running sums of x over the last 5, 22 and 252 days."""
    return (
        _MEAN["c"]
        + _MEAN["b_d"] * x_t
        + _MEAN["b_w"] * sums[0] / _WINDOWS[0]
        + _MEAN["b_m"] * sums[1] / _WINDOWS[1]
        + _MEAN["b_y"] * sums[2] / _WINDOWS[2]
        + exog
    )


def _sp500_return(vix_t, e, n):
    scale = _SP500["kappa"] * (vix_t / 100.0) / np.sqrt(252.0)
    rho = _SP500["rho"]
    return _SP500["mu_r"] + scale * (rho * e + np.sqrt(1.0 - rho**2) * n)


def _simulate(n_total: int, rng: np.random.Generator, exog_beta: float) -> _Path:
    hist = _WINDOWS[-1]
    x = np.empty(n_total + hist)
    x[:hist] = _XBAR
    vol = np.empty(n_total + hist)
    mean = np.empty(n_total + hist)
    sp500 = np.zeros(n_total + hist)
    rate = np.empty(n_total + hist)
    rate[: hist + 1] = _RATE["start"]
    s_next = _VOL["w"] / (1.0 - _VOL["g"] - 0.5 * _VOL["a_up"] * np.sqrt(2 / np.pi))
    rho_i = _RATE["rho_i"]
    # One draw per day and stream, row by row, so that a longer path extends a shorter one
    # with the same seed instead of reshuffling it.
    draws = rng.standard_normal((n_total + hist, 4))
    uniforms = ndtr(draws[:, 3])
    for t in range(hist - 1, n_total + hist - 1):
        sums = [x[t - k + 1 : t + 1].sum() for k in _WINDOWS]
        mean[t] = _har_mean(x[t], sums, exog_beta * 100.0 * sp500[t])
        vol[t] = s_next
        p = _spike_probability(x[t])
        mu0, s0 = _calm_component(p)
        z = draws[t + 1, 0]
        if uniforms[t + 1] < p:
            e = _SHOCK["mu_j"] + _SHOCK["s_j"] * z
        else:
            e = mu0 + s0 * z
        x[t + 1] = mean[t] + s_next * e
        s_next = _next_vol(s_next, s_next * e)
        sp500[t + 1] = _sp500_return(np.exp(x[t]), e, draws[t + 1, 1])
        i_t = rate[t]
        shock_i = rho_i * e + np.sqrt(1.0 - rho_i**2) * draws[t + 1, 2]
        rate[t + 1] = max(
            0.01,
            i_t
            + _RATE["k_i"] * (_RATE["mu_i"] - i_t)
            + _RATE["s_i"] * np.sqrt(i_t / _RATE["mu_i"]) * shock_i,
        )
    last = n_total + hist - 1
    sums = [x[last - k + 1 :].sum() for k in _WINDOWS]
    mean[last] = _har_mean(x[last], sums, exog_beta * 100.0 * sp500[last])
    vol[last] = s_next
    return _Path(x, vol, mean, sp500, rate, exog_beta)


def _monte_carlo_forecast(path, origins, horizon, n_paths, rng):
    """E[VIX(t + h) | F_t] for h = 2..horizon by simulation from the true state at each origin.

    Paths are simulated up to t + h - 1 and the last step is taken in closed form
    (a Rao-Blackwellised estimator), which removes most of the Monte Carlo noise.
    """
    out = np.empty((len(origins), horizon - 1))
    t = origins[:, None]
    x_hist = path.x
    cum = np.cumsum(x_hist)
    x_prev = np.repeat(x_hist[origins][:, None], n_paths, axis=1)
    m = np.repeat(path.mean[origins][:, None], n_paths, axis=1)
    s = np.repeat(path.vol[origins][:, None], n_paths, axis=1)
    simulated_sum = np.zeros_like(m)
    for step in range(1, horizon):
        p = _spike_probability(x_prev)
        e = _draw_shock(rng, p, m.shape)
        x_new = m + s * e
        simulated_sum += x_new
        u = s * e
        sp_new = _sp500_return(np.exp(x_prev), e, rng.standard_normal(m.shape))
        s = _next_vol(s, u)
        sums = []
        for k in _WINDOWS:
            # Sum of x over (t + step - k, t + step]: the history part plus the simulated part.
            lo = t + step - k + 1
            hist_sum = cum[t] - cum[lo - 1]
            sums.append(hist_sum + simulated_sum)
        m = _har_mean(x_new, sums, path.exog_beta * 100.0 * sp_new)
        x_prev = x_new
        out[:, step - 1] = _expected_exp(m, s, _spike_probability(x_new)).mean(axis=1)
    return out


def _session_index(start, n_days: int) -> pd.DatetimeIndex:
    """The first ``n_days`` NYSE sessions on or after ``start``, named ``date``."""
    from ..calendar import sessions

    first = pd.Timestamp(start)
    # About 252 sessions a year: 1.5 calendar days a session is always enough.
    index = sessions(first, first + pd.Timedelta(days=int(1.5 * n_days) + 14))[:n_days]
    return pd.DatetimeIndex(index, name="date")


@validate_params(
    {
        "n_days": [Interval(Integral, 1, None, closed="left")],
        "start": [str, datetime.date],
        "random_state": ["random_state", np.random.Generator],
        "exog_beta": [Interval(Real, None, None, closed="neither")],
        "return_optimal": ["boolean"],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "n_paths": [Interval(Integral, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def make_vix_sim(
    n_days: int = 9000,
    *,
    start: str | pd.Timestamp = "1990-01-02",
    random_state: int | np.random.Generator | None = None,
    exog_beta: float = 0.0,
    return_optimal: bool = False,
    horizon: int = 5,
    n_paths: int = 1000,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate VIX-like daily data with S&P 500 returns and a 10-year interest rate.

    The log VIX ``x`` follows a HAR mean in logs with a weak 252-day term (long memory),
    an absolute-value GARCH vol-of-vol that reacts only to up-moves (volatility
    clustering and spikes), and a two-component normal shock whose spike component is
    likelier when the VIX is low (the floor near 9 and the upward spikes)::

        m(t)     = c + b_d x(t) + b_w mean_5(x)(t) + b_m mean_22(x)(t) + b_y mean_252(x)(t)
        x(t+1)   = m(t) + s(t+1) e(t+1)
        s(t+1)   = w + (a + a_up [u(t) > 0]) |u(t)| + g s(t),   u(t) = s(t) e(t)
        e ~ p N(mu_J, s_J^2) + (1 - p) N(mu_0, s_0^2),  p(t) = expit(p0 + p1 (x(t) - xbar))
        r(t+1)   = mu_r + kappa (VIX(t) / 100) / sqrt(252) (rho e(t+1) + sqrt(1 - rho^2) n)
        i(t+1)   = max(0.01, i + k_i (mu_i - i) + s_i sqrt(i / mu_i) (rho_i e + ...))

    ``(mu_0, s_0)`` are solved so that ``e`` has mean 0 and variance 1 in every state.
    Parameters, estimated on the real CBOE VIX close 1990-2026 (OLS for the mean and the
    rate, maximum likelihood for the rest):

    - mean: c = 0.02435, b_d = 0.89242, b_w = 0.05200, b_m = 0.03462, b_y = 0.01253
      (persistence 0.9916, below a random walk's 1; long-run log level xbar = 2.888,
      a VIX of about 19.5 on average);
    - vol-of-vol: w = 0.006725, a = 0.0, a_up = 0.18425, g = 0.82687;
    - shock mixture: p0 = -1.9652, p1 = -0.2826, mu_J = 1.0591, s_J = 1.6257;
    - S&P 500: mu_r = 0.000328, kappa = 0.8658, rho = -0.7599 (leverage effect, the
      correlation of daily returns and log-VIX changes is about -0.71);
    - 10-year rate: k_i = 0.000646, mu_i = 3.701, s_i = 0.0604, rho_i = -0.138, start 7.94.

    The exogenous columns carry no information about future VIX beyond the VIX's own
    history, as on the real data, unless ``exog_beta`` adds ``exog_beta * 100 * r(t)``
    to ``m(t)``: a controlled signal to test models that use exogenous inputs.

    Parameters
    ----------
    n_days : int, default=9000
        Number of sessions returned, after a burn-in of 2,000 days.
    start : str or Timestamp, default="1990-01-02"
        The index starts on the first NYSE session on or after this date.
    random_state : int, Generator or None, default=None
        Seed of the simulation (and of the Monte Carlo of the optimal forecast).
    exog_beta : float, default=0.0
        Weight of today's S&P 500 return (times 100) in the mean of tomorrow's log VIX.
        The feedback grows with the VIX level: keep ``|exog_beta|`` at or below about
        0.01 (a correlation of about -0.1 between the return and the next log-VIX
        change); from about 0.02 on, paths peak above 200.
    return_optimal : bool, default=False
        Also return the Bayes-optimal forecast ``E[vix(t+h) | everything known at t]``.
    horizon : int, default=5
        Number of steps of the optimal forecast (only with ``return_optimal``).
    n_paths : int, default=1000
        Monte Carlo paths per origin for steps ``h >= 2``; step 1 is in closed form.

    Returns
    -------
    frame : DataFrame
        Indexed by the NYSE sessions that took place (:mod:`sklearn_vix.calendar`), as
        the real VIX is, with columns ``vix``, ``sp500_return`` (daily log return) and
        ``interest_rate`` (annual %). One simulated step is one session: the
        simulator has no calendar effect, whatever the dates.
    optimal : DataFrame
        Only with ``return_optimal``: columns ``vix_h1 .. vix_h{horizon}``, the
        conditional mean of the VIX ``h`` days after each row, on the same index.
        Step 1 is exact; later steps are simulated from the true state at each origin
        with the last step in closed form.

    See Also
    --------
    load_vix_sim : The project's embedded default, a fixed path of this simulator.
    make_supervised : Turn the frame into features and future targets.

    Examples
    --------
    >>> from sklearn_vix.datasets import make_vix_sim
    >>> frame = make_vix_sim(n_days=500, random_state=0)
    >>> list(frame.columns)
    ['vix', 'sp500_return', 'interest_rate']
    >>> bool((frame["vix"] > 0).all())
    True
    """
    rng = np.random.default_rng(random_state)
    path = _simulate(_BURN_IN + n_days, rng, float(exog_beta))
    keep = slice(len(path.x) - n_days, len(path.x))
    index = _session_index(start, n_days)
    frame = pd.DataFrame(
        {
            "vix": np.exp(path.x[keep]),
            "sp500_return": path.sp500[keep],
            "interest_rate": path.rate[keep],
        },
        index=index,
    )
    if not return_optimal:
        return frame
    origins = np.arange(keep.start, keep.stop)
    optimal = np.empty((n_days, horizon))
    p = _spike_probability(path.x[origins])
    optimal[:, 0] = _expected_exp(path.mean[origins], path.vol[origins], p)
    if horizon > 1:
        chunk = max(1, 200_000 // n_paths)
        for lo in range(0, n_days, chunk):
            sub = origins[lo : lo + chunk]
            optimal[lo : lo + chunk, 1:] = _monte_carlo_forecast(path, sub, horizon, n_paths, rng)
    columns = [f"vix_h{h}" for h in range(1, horizon + 1)]
    return frame, pd.DataFrame(optimal, index=index, columns=columns)


# Of seeds 0-29, path 11 is the one whose mean, sd, 99th percentile and maximum are closest
# to the real VIX (19.7 / 7.0 / 43.2 / 82.2 against 19.4 / 7.7 / 46.7 / 82.7).
_DEFAULT_SEED = 11


@lru_cache(maxsize=4)
def _cached_sim(return_optimal: bool, horizon: int):
    return make_vix_sim(
        9000, random_state=_DEFAULT_SEED, return_optimal=return_optimal, horizon=horizon
    )


@validate_params({"return_optimal": ["boolean"]}, prefer_skip_nested_validation=True)
def load_vix_sim(
    *, return_optimal: bool = False, horizon: int = 5
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Load the embedded default data: a fixed 9,000-day path of :func:`make_vix_sim`.

    Deterministic (seed 11, chosen among seeds 0-29 as the path whose mean, sd, 99th
    percentile and maximum are closest to the real VIX's), on the NYSE sessions from 1990-01-02.
    Use it wherever an exogenous column or the Bayes-optimal yardstick is needed; the
    path is computed once per process and copied on every call.

    Parameters
    ----------
    return_optimal : bool, default=False
        Also return the Bayes-optimal forecast, as in :func:`make_vix_sim`.
    horizon : int, default=5
        Steps of the optimal forecast (only with ``return_optimal``). Step 1 is in
        closed form and instant; each later step is a Monte Carlo over every origin
        (about ten seconds for all five), so ask only for the steps you use.

    Returns
    -------
    frame : DataFrame
        Columns ``vix``, ``sp500_return`` and ``interest_rate``.
    optimal : DataFrame
        Only with ``return_optimal``: columns ``vix_h1 .. vix_h{horizon}``.

    Examples
    --------
    >>> from sklearn_vix.datasets import load_vix_sim
    >>> frame = load_vix_sim()
    >>> frame.shape
    (9000, 3)
    >>> str(frame.index[0].date())
    '1990-01-02'
    >>> frame, optimal = load_vix_sim(return_optimal=True, horizon=1)
    >>> list(optimal.columns)
    ['vix_h1']
    """
    if not return_optimal:
        # The path does not depend on the horizon: one cache entry serves every call.
        return _cached_sim(False, 1).copy()
    frame, optimal = _cached_sim(True, horizon)
    return frame.copy(), optimal.copy()


def _mixture_cdf(z, p):
    """P(e <= z) for the two-component shock with spike probability ``p``."""
    mu0, s0 = _calm_component(p)
    return p * ndtr((z - _SHOCK["mu_j"]) / _SHOCK["s_j"]) + (1.0 - p) * ndtr((z - mu0) / s0)


def _conditional_quantiles(
    n_days: int, *, random_state: int, steps, levels, first: int = 0, n_paths: int = 1000
) -> np.ndarray:
    """True quantiles of ``vix(t + h)`` given everything known at ``t``, for the path of
    ``make_vix_sim(n_days, random_state=random_state)``, for each ``h`` in ``steps`` and
    each origin from row ``first`` on.

    Returns an array of shape ``(n_days - first, len(steps), len(levels))``. Step 1 is exact (the
    shock mixture's CDF inverted by bisection). Later steps simulate ``n_paths`` paths
    from the true state up to ``t + h - 1`` as ``_monte_carlo_forecast`` does and invert
    the average of the last step's mixture CDFs (Rao-Blackwellised, as the mean is).
    """
    rng = np.random.default_rng(random_state)
    path = _simulate(_BURN_IN + n_days, rng, 0.0)
    origins = np.arange(len(path.x) - n_days + first, len(path.x))
    levels = np.asarray(levels, dtype=np.float64)
    steps = list(steps)
    out = np.empty((len(origins), len(steps), len(levels)))
    chunk = max(1, 200_000 // n_paths)
    for lo in range(0, len(origins), chunk):
        sub = origins[lo : lo + chunk]
        t = sub[:, None]
        cum = np.cumsum(path.x)
        x_prev = np.repeat(path.x[sub][:, None], n_paths, axis=1)
        m = np.repeat(path.mean[sub][:, None], n_paths, axis=1)
        s = np.repeat(path.vol[sub][:, None], n_paths, axis=1)
        simulated_sum = np.zeros_like(m)
        for step in range(max(steps)):
            p = _spike_probability(x_prev)
            if step + 1 in steps:
                # Before the first simulated step every path holds the same state.
                columns = slice(None) if step else slice(0, 1)
                quantiles = _invert_mixture(m[:, columns], s[:, columns], p[:, columns], levels)
                out[lo : lo + chunk, steps.index(step + 1)] = np.exp(quantiles)
            if step + 1 == max(steps):
                break
            e = _draw_shock(rng, p, m.shape)
            x_new = m + s * e
            simulated_sum += x_new
            sp_new = _sp500_return(np.exp(x_prev), e, rng.standard_normal(m.shape))
            s = _next_vol(s, s * e)
            sums = [cum[t] - cum[t + step + 1 - k] + simulated_sum for k in _WINDOWS]
            m = _har_mean(x_new, sums, path.exog_beta * 100.0 * sp_new)
            x_prev = x_new
    return out


def _invert_mixture(m, s, p, levels, n_iter: int = 32):
    """Quantiles of ``x = m + s e`` averaged over paths (columns), by bisection."""
    # 32 halvings of a bracket 24 shock-sds wide leave an error below 1e-8 sds.
    low = (m - 12.0 * s).min(axis=1)
    high = (m + 12.0 * s).max(axis=1)
    result = np.empty((m.shape[0], len(levels)))
    for j, level in enumerate(levels):
        a, b = low.copy(), high.copy()
        for _ in range(n_iter):
            mid = 0.5 * (a + b)
            below = _mixture_cdf((mid[:, None] - m) / s, p).mean(axis=1) < level
            a = np.where(below, mid, a)
            b = np.where(below, b, mid)
        result[:, j] = 0.5 * (a + b)
    return result
