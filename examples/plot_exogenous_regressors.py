"""
Exogenous regressors on the simulator
=====================================

Windows can hold several columns: the VIX with the S&P 500 return and the 10-year rate.
On the real VIX they do not help (see the user guide); the simulator can plant a signal
(``exog_beta``) so that one can check that a model finds it when it is there, and does
not invent one when it is not.
"""

import matplotlib.pyplot as plt
import pandas as pd
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline

from sklearn_vix import WindowTransformer
from sklearn_vix.datasets import make_supervised, make_vix_sim
from sklearn_vix.model_selection import compare_models


def linear_on_windows():
    return make_pipeline(WindowTransformer(lookback=5), LinearRegression())


rows = {}
for beta in (0.0, 0.01):
    frame = make_vix_sim(4000, random_state=0, exog_beta=beta)
    X, y = make_supervised(frame, horizon=1)
    # Same model, two inputs: the VIX column alone, or all three columns.
    for name, columns in (("VIX only", ["vix"]), ("VIX + S&P 500 + rate", list(X.columns))):
        result = compare_models({name: linear_on_windows()}, X[columns], y)
        summary = result.summary.loc[name]
        rows[(f"exog_beta={beta}", name)] = {
            "rmse_ratio": summary[("rmse_ratio", "mean")],
            "dm_pvalue": summary[("dm_pvalue", "")],
        }

# %%
# RMSE relative to persistence (lower is better). With ``exog_beta=0`` the extra columns
# add nothing; with a planted signal the model with the S&P 500 return pulls ahead.
print(pd.DataFrame(rows).T.round(4))

# %%
# The same numbers as bars: below 1, better than persistence.
table = pd.DataFrame(rows).T["rmse_ratio"].unstack()
ax = table.plot.bar(rot=0, figsize=(7, 3.5))
ax.axhline(1.0, color="black", lw=0.8, ls="--")
ax.set_ylim(table.min().min() - 0.02, 1.01)
ax.set_ylabel("RMSE ÷ RMSE of persistence")
ax.set_xlabel("")
ax.set_title("Linear model on 5-day windows, simulated VIX")
plt.show()
