"""Save a fitted forecaster to one file and load it back, with what it needs to forecast.

The file is a joblib pickle of a small envelope: a format tag, the library version, the
model and a metadata dict (the columns the model reads, its horizon, the last training
date). **Loading a pickle runs code named in the file: load only files you made or
trust.** skops' audited format was measured and does not fit: it cannot rebuild the
``pandas.Timestamp`` that a fitted ``WindowTransformer`` keeps, and a skorch net restores
its torch module inside its own ``__setstate__``, past skops' list of trusted types.
"""

from __future__ import annotations

import os
from pathlib import Path

import joblib

from ._compat import HasMethods, validate_params

__all__ = ["load_model", "save_model"]

_FORMAT = "sklearn-vix model"


@validate_params(
    {
        "model": [HasMethods(["fit", "predict"])],
        "path": [str, os.PathLike],
        "metadata": [dict, None],
    },
    prefer_skip_nested_validation=True,
)
def save_model(model, path: str | os.PathLike, *, metadata: dict | None = None) -> Path:
    """Write a fitted forecaster and its metadata to ``path`` (joblib, compressed).

    Parameters
    ----------
    model : estimator
        A fitted forecaster or pipeline.
    path : str or path-like
        The file to write (replaced if it exists).
    metadata : dict, default=None
        What a user of the file needs to know, e.g. ``{"columns": ["vix"], "horizon": 5}``.

    Returns
    -------
    path : Path

    See Also
    --------
    load_model : Read it back.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from sklearn_vix import HARRegressor
    >>> from sklearn_vix.datasets import load_vix, make_supervised
    >>> from sklearn_vix.serialization import load_model, save_model
    >>> X, y = make_supervised(load_vix()[["vix"]].iloc[:500])
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "har.joblib"
    >>> _ = save_model(HARRegressor().fit(X, y), path, metadata={"horizon": 1})
    >>> model, metadata = load_model(path, return_metadata=True)
    >>> metadata["horizon"], bool((model.predict(X) > 0).all())
    (1, True)
    """
    from . import __version__

    path = Path(path)
    envelope = {
        "format": _FORMAT,
        "version": __version__,
        "model": model,
        "metadata": dict(metadata or {}),
    }
    joblib.dump(envelope, path, compress=3)
    return path


@validate_params(
    {"path": [str, os.PathLike], "return_metadata": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def load_model(path: str | os.PathLike, *, return_metadata: bool = False):
    """Read a forecaster written by :func:`save_model`.

    .. warning::
        The file is a pickle: loading it runs code named in the file. Load only files
        you wrote or trust.

    Parameters
    ----------
    path : str or path-like
    return_metadata : bool, default=False
        Also return the metadata dict saved with the model.

    Returns
    -------
    model : estimator
    metadata : dict
        Only with ``return_metadata``.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file is not a model written by :func:`save_model`.

    See Also
    --------
    save_model : Write one.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from sklearn_vix.serialization import load_model
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "notes.txt"
    >>> _ = path.write_text("not a model")
    >>> load_model(path)
    Traceback (most recent call last):
    ...
    ValueError: ...notes.txt is not a sklearn-vix model file (...)...
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No model file at {path}.")
    try:
        envelope = joblib.load(path)
    except Exception as error:  # a file that is not a pickle fails in many ways
        raise ValueError(
            f"{path} is not a sklearn-vix model file (reading it failed: "
            f"{type(error).__name__}); write one with save_model or `sklearn-vix report --save`."
        ) from error
    if not (isinstance(envelope, dict) and envelope.get("format") == _FORMAT):
        raise ValueError(
            f"{path} is not a sklearn-vix model file (it holds a {type(envelope).__name__}); "
            "write one with save_model or `sklearn-vix report --save`."
        )
    model = envelope["model"]
    return (model, envelope["metadata"]) if return_metadata else model
