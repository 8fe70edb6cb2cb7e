"""
Save a fitted forecaster and load it back
=========================================

:func:`~sklearn_vix.serialization.save_model` writes a fitted model with what a later
user needs (the columns it reads, its horizon, the last training day);
:func:`~sklearn_vix.serialization.load_model` reads it back. ``sklearn-vix report
--save FILE`` and ``sklearn-vix tune`` write the same files, and ``sklearn-vix predict
--model FILE`` reads them.

.. warning::
    The file is a pickle (joblib): loading it runs code named in the file. Load only
    files you wrote or trust. skops' audited format does not fit these models yet: it
    cannot rebuild the ``pandas.Timestamp`` a fitted window keeps, and skorch restores a
    net's torch module inside its own ``__setstate__``, past skops' checks.
"""

import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from sklearn_vix import GRURegressor, make_forecaster
from sklearn_vix.datasets import load_vix, make_supervised
from sklearn_vix.serialization import load_model, save_model

frame = load_vix().loc["2015":, ["vix"]]
X, y = make_supervised(frame)
# Three epochs: this example is about the file, not the fit.
model = make_forecaster(GRURegressor(max_epochs=3, random_state=0), lookback=10)
model.fit(X, y)

path = Path(tempfile.mkdtemp()) / "gru.joblib"
metadata = {"columns": ["vix"], "horizon": 1, "trained_until": str(X.index[-1].date())}
save_model(model, path, metadata=metadata)
print(f"{path.name}: {path.stat().st_size / 1024:.0f} KiB")

# %%
# The reloaded model predicts exactly what the fitted one did.
reloaded, saved_metadata = load_model(path, return_metadata=True)
print(saved_metadata)
print(np.array_equal(reloaded.predict(frame), model.predict(frame)))

fig, ax = plt.subplots(figsize=(7, 3.5))
recent = frame["vix"].iloc[-60:]
ax.plot(recent.index, recent, color="black", label="VIX close")
ax.plot(recent.index, model.predict(frame)[-60:], lw=3, alpha=0.4, label="fitted model")
ax.plot(recent.index, reloaded.predict(frame)[-60:], ls="--", label="reloaded model")
ax.set_ylabel("VIX (index points)")
ax.set_title("Next-session forecasts: the reloaded model matches")
ax.legend()

# %%
# A file that is not a model is refused with a clear message.
not_a_model = path.with_name("notes.txt")
not_a_model.write_text("hello")
try:
    load_model(not_a_model)
except ValueError as error:
    print(error)
