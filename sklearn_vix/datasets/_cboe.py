"""Download Cboe's daily index histories and keep them in a local cache.

The files are Cboe's and are never shipped with sklearn-vix: each user downloads them from
Cboe under Cboe's terms (https://www.cboe.com/us/options/market_statistics/historical_data/,
https://www.cboe.com/tradable_products/vix/vix_historical_data/).

The download and the cache use the standard library (``urllib.request``, ``tempfile``,
``os.replace``) rather than ``requests`` or ``pooch``: one GET needs no new dependency, and
the cache rule is the NYSE calendar (download when a session whose close should be
published by now is missing from the cached file), whereas pooch trusts a file by a fixed
hash, which a file that grows every evening cannot have.
"""

from __future__ import annotations

import http.client
import os
import tempfile
import urllib.error
import urllib.request
import warnings
from datetime import time
from numbers import Real
from pathlib import Path

import pandas as pd

from .._compat import Interval, StrOptions, validate_params
from ._loaders import _drop_closed_days, load_vix_csv

__all__ = ["fetch_cboe", "get_data_home"]

CBOE_URL = "https://cdn.cboe.com/api/global/us_indices/daily_prices/"
CBOE_PAGE = "https://www.cboe.com/tradable_products/vix/vix_historical_data/"
URL_VARIABLE = "SKLEARN_VIX_CBOE_URL"
HOME_VARIABLE = "SKLEARN_VIX_DATA"
SYMBOLS = ("VIX", "VIX9D", "VIX3M", "VVIX", "SKEW")
NEW_YORK = "America/New_York"
# Cboe publishes a session's close after about 16:15 New York time; from 17:00 the file is
# expected to hold it, so that a forecast run in the evening starts from that day's close.
PUBLISHED_BY = time(17, 0)


class CboeDownloadError(OSError):
    """Cboe's file could not be downloaded, or what came back is not a valid history."""


def _now() -> pd.Timestamp:
    """The current time, tz-aware; the tests replace this function to fix the clock."""
    return pd.Timestamp.now(tz="UTC")


@validate_params({"data_home": [str, os.PathLike, None]}, prefer_skip_nested_validation=True)
def get_data_home(data_home: str | os.PathLike | None = None) -> Path:
    """The folder of the downloaded data, created if missing.

    As :func:`sklearn.datasets.get_data_home`: ``data_home`` when given, else the
    ``SKLEARN_VIX_DATA`` environment variable, else ``~/sklearn_vix_data``; a ``~`` is
    expanded to the user's home folder.

    Parameters
    ----------
    data_home : str or path-like, default=None
        The folder; None for the default above.

    Returns
    -------
    data_home : Path
        The folder, which exists.

    See Also
    --------
    fetch_cboe : Caches Cboe's files in ``get_data_home() / "cboe"``.

    Examples
    --------
    >>> import os, tempfile
    >>> from sklearn_vix.datasets import get_data_home
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     home = get_data_home(os.path.join(folder, "vix_data"))
    ...     print(home.name, home.is_dir())
    vix_data True
    """
    if data_home is None:
        data_home = os.environ.get(HOME_VARIABLE) or "~/sklearn_vix_data"
    home = Path(data_home).expanduser()
    home.mkdir(parents=True, exist_ok=True)
    return home


def _history_url(symbol: str) -> str:
    base = os.environ.get(URL_VARIABLE) or CBOE_URL
    return f"{base.rstrip('/')}/{symbol}_History.csv"


def _missing_sessions(last: pd.Timestamp, now: pd.Timestamp) -> int:
    """Sessions after ``last`` whose close Cboe should have published by ``now``."""
    from ..calendar import sessions

    local = now.tz_convert(NEW_YORK)
    today = pd.Timestamp(local.date())
    latest = today if local.time() >= PUBLISHED_BY else today - pd.Timedelta(days=1)
    if latest <= last:
        return 0
    return len(sessions(last + pd.Timedelta(days=1), latest))


def _download(url: str, timeout: float) -> bytes:
    """The body of ``url``; every way it can fail is a :class:`CboeDownloadError`."""
    request = urllib.request.Request(url, headers={"User-Agent": "sklearn-vix"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            kind = response.headers.get_content_type()
            body = response.read()
    except urllib.error.HTTPError as error:
        error.close()  # it holds the answer's connection
        raise CboeDownloadError(
            f"{url} answered HTTP {error.code} ({error.reason}): try again later, or find "
            f"the file on {CBOE_PAGE} and set {URL_VARIABLE} to its folder."
        ) from error
    except (TimeoutError, urllib.error.URLError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            raise CboeDownloadError(
                f"{url} did not answer within {timeout:g} s: try again later, or pass a "
                "longer timeout."
            ) from error
        raise CboeDownloadError(
            f"Cannot reach {url} ({reason}): check the network connection and try again."
        ) from error
    except (http.client.HTTPException, OSError) as error:
        raise CboeDownloadError(
            f"The download of {url} broke off ({error!r}): try again later."
        ) from error
    if kind == "text/html" or body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise CboeDownloadError(
            f"{url} returned a web page, not a CSV file: Cboe may have moved the file; find "
            f"it on {CBOE_PAGE} and set {URL_VARIABLE} to its folder."
        )
    return body


def _store(body: bytes, path: Path, url: str, column: str, cached) -> pd.DataFrame:
    """Replace the cache at ``path`` by ``body`` if it is a valid history that does not end
    before ``cached``; the frame read from it."""
    # Written beside the cache, so that os.replace is one atomic rename: a reader, or a
    # second process, sees the old file or the new one, never half of one.
    descriptor, part = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(body)
        try:
            frame = load_vix_csv(part, sessions_only=False, column=column)
        except ValueError as error:
            raise CboeDownloadError(
                f"{url} gave a file that is not a valid {path.name} ({error}): try again later."
            ) from error
        if cached is not None and frame.index[-1] < cached.index[-1]:
            raise CboeDownloadError(
                f"{url} gave a file that ends on {frame.index[-1].date()}, before the cached "
                f"copy ({cached.index[-1].date()}): it looks cut short; try again later."
            )
        os.replace(part, path)
    finally:
        if os.path.exists(part):
            os.unlink(part)
    return frame


def _read_cache(path: Path, column: str):
    """The cached history at ``path``, or None when there is none."""
    if not path.is_file():
        return None
    try:
        return load_vix_csv(path, sessions_only=False, column=column)
    except ValueError as error:
        raise ValueError(
            f"The cached {path} is not a valid history ({error}): pass refresh=True to "
            "download it again."
        ) from error


@validate_params(
    {
        "symbol": [StrOptions(set(SYMBOLS))],
        "data_home": [str, os.PathLike, None],
        "refresh": ["boolean", StrOptions({"auto"})],
        "sessions_only": ["boolean"],
        "timeout": [Interval(Real, 0, None, closed="neither")],
    },
    prefer_skip_nested_validation=True,
)
def fetch_cboe(
    symbol: str = "VIX",
    *,
    data_home: str | os.PathLike | None = None,
    refresh: bool | str = "auto",
    sessions_only: bool = True,
    timeout: float = 30.0,
) -> pd.DataFrame:
    """Download Cboe's daily history of an index, cache it, and read it.

    Cboe publishes ``{symbol}_History.csv`` at
    ``https://cdn.cboe.com/api/global/us_indices/daily_prices/`` (the files behind its VIX
    historical data page); the environment variable ``SKLEARN_VIX_CBOE_URL`` replaces that
    folder (a mirror, a proxy, a test server). The file is cached as
    ``get_data_home(data_home) / "cboe" / "{symbol}_History.csv"`` and read with
    :func:`load_vix_csv`, so it is validated by the same rules.

    The data are Cboe's: sklearn-vix never ships them, and their use is subject to Cboe's
    terms, https://www.cboe.com/us/options/market_statistics/historical_data/ and
    https://www.cboe.com/tradable_products/vix/vix_historical_data/.

    With ``refresh="auto"`` the file is downloaded only when the cache lacks a session
    whose close Cboe should have published by now: any NYSE session
    (:mod:`sklearn_vix.calendar`) after the cached last row that ended before today in New
    York, or today's from 17:00 New York time (Cboe publishes the close after about
    16:15). Until the downloaded file holds that session, each call downloads it again.

    The cache is replaced only by a file that validates: the download is written to a
    temporary file in the same folder, read with :func:`load_vix_csv`, checked not to end
    before the cached copy, then renamed over it. When the download fails (no network, a
    timeout, an HTTP error, a web page instead of a CSV, a cut or invalid file), a valid
    cache is returned with a ``UserWarning`` giving its last date and the number of
    sessions it lacks; without a cache the failure is raised.

    Parameters
    ----------
    symbol : {"VIX", "VIX9D", "VIX3M", "VVIX", "SKEW"}, default="VIX"
        The index. VIX, VIX9D and VIX3M files have the columns ``DATE, OPEN, HIGH, LOW,
        CLOSE``; VVIX and SKEW files have ``DATE`` and one value column named after the
        index (the layouts Cboe published when this was written).
    data_home : str or path-like, default=None
        The data folder (:func:`get_data_home`).
    refresh : "auto" or bool, default="auto"
        "auto": download when a newer session should be published (above). True: always
        download. False: read the cache only, without the network.
    sessions_only : bool, default=True
        Drop the rows dated on days the NYSE was closed (Cboe's extended-hours values on
        holidays since 2022), silently as :func:`load_vix` does, since every copy of the
        file has them.
    timeout : float, default=30.0
        Seconds to wait for Cboe's server before giving up.

    Returns
    -------
    frame : DataFrame
        The shape of :func:`load_vix_csv`: indexed by a sorted, unique ``DatetimeIndex``
        named ``date``, with the index's level first, named ``vix`` for the VIX and the
        lower-case symbol otherwise (``vix9d``, ``vix3m``, ``vvix``, ``skew``), then
        ``open``, ``high`` and ``low`` where the file has them. ``frame.attrs`` holds
        ``"url"``, ``"path"`` (the cached file) and ``"fetched"`` (when it was
        downloaded, a UTC ``Timestamp``).

    Raises
    ------
    OSError
        If the download fails and there is no cache (a ``CboeDownloadError`` saying what
        happened, which URL, and what to do), or if ``refresh=False`` and there is no
        cache (``FileNotFoundError``).
    ValueError
        If the cached file was changed and no longer validates.

    See Also
    --------
    load_vix : The VIX to 2023-12-29, shipped with the package.
    load_vix_csv : Read a ``VIX_History.csv`` downloaded by hand.
    get_data_home : Where the cache lives.

    Examples
    --------
    >>> from sklearn_vix.datasets import fetch_cboe
    >>> frame = fetch_cboe()  # doctest: +SKIP
    >>> list(frame.columns)  # doctest: +SKIP
    ['vix', 'open', 'high', 'low']
    >>> list(fetch_cboe("VVIX").columns)  # doctest: +SKIP
    ['vvix']
    """
    if refresh != "auto":
        refresh = bool(refresh)
    column = "vix" if symbol == "VIX" else symbol.lower()
    folder = get_data_home(data_home) / "cboe"
    folder.mkdir(exist_ok=True)
    path, url = folder / f"{symbol}_History.csv", _history_url(symbol)
    try:
        cached = _read_cache(path, column)
    except ValueError:
        if refresh is not True:
            raise
        cached = None
    if cached is None and refresh is False:
        raise FileNotFoundError(
            f"No cached {path.name} in {folder}: call fetch_cboe({symbol!r}) with "
            "refresh='auto' or True to download it."
        )
    frame = cached
    if (
        refresh is True
        or cached is None
        or (refresh == "auto" and _missing_sessions(cached.index[-1], _now()))
    ):
        try:
            frame = _store(_download(url, timeout), path, url, column, cached)
        except CboeDownloadError as error:
            if cached is None:
                raise
            last = cached.index[-1]
            missing = _missing_sessions(last, _now())
            warnings.warn(
                f"{error} Using the cached {path}, which ends on {last.date()} "
                f"({missing} session(s) missing).",
                UserWarning,
                stacklevel=3,
            )
    if sessions_only:
        frame = _drop_closed_days(frame, warn=False)
    fetched = pd.Timestamp(path.stat().st_mtime, unit="s", tz="UTC")
    frame.attrs = {"url": url, "path": str(path), "fetched": fetched}
    return frame
