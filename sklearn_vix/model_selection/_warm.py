"""Warm refits: a net continues from its previous weights instead of training from scratch.

The net is found inside the wrappers the library builds (``make_forecaster`` ->
``LogTargetRegressor`` -> ``Pipeline`` -> net, a search, a ``ConformalForecaster``), fitted
or not, by the wrappers' attribute and parameter names.

A warm refit is a fresh fit of a clone whose net gets ``module=_PreviousModule(...)``: the
net builds its module as a copy of the previous fit's trained module instead of a random
one. Everything else of the fit is as cold: the transformers are refitted on the grown
rows, the net standardises the target with the new training rows' mean and scale and
re-solves the least-squares highway on them (both are closed-form and cheap, and computed
from the training rows only), and early stopping validates on the latest
``validation_fraction`` of the new training rows, after the purge. Those rows come after
every row the previous weights trained on (the block grows by ``refit_every`` rows), so
the validation stays out of sample; its first candidate is the continued net itself, so a
warm refit never ends worse on the validation block than where it started.
"""

from __future__ import annotations

import copy

from sklearn.base import clone

__all__ = ["find_net", "net_parameter", "warm_refit"]

# Fitted attributes of the wrappers that hold the fitted inner estimator, and the
# parameters that hold the unfitted one: a search, ConformalForecaster,
# LogTargetRegressor / TransformedTargetRegressor.
_FITTED = ("best_estimator_", "estimator_", "regressor_")
_PARAMETERS = ("estimator", "regressor")


def _is_net(estimator) -> bool:
    # Duck-typed so that looking for a net never imports torch.
    return hasattr(estimator, "partial_fit") and hasattr(estimator, "initialized_")


def find_net(estimator, *, fitted: bool = True):
    """The skorch net inside ``estimator`` (itself, a Pipeline's last step, or inside a
    fitted wrapper when ``fitted``, an unfitted one otherwise), or None."""
    for attribute in _FITTED if fitted else _PARAMETERS:
        estimator = getattr(estimator, attribute, estimator)
    if hasattr(estimator, "steps"):
        estimator = estimator.steps[-1][1]
    return estimator if _is_net(estimator) else None


def net_parameter(estimator) -> str | None:
    """The ``set_params`` path of the net inside an unfitted ``estimator`` ("" for the net
    itself), or None."""
    path = []
    for attribute in _PARAMETERS:
        if hasattr(estimator, attribute) and attribute in estimator.get_params(deep=False):
            path.append(attribute)
            estimator = getattr(estimator, attribute)
    if hasattr(estimator, "steps"):
        path.append(estimator.steps[-1][0])
        estimator = estimator.steps[-1][1]
    return "__".join(path) if _is_net(estimator) else None


class _PreviousModule:
    """The ``module`` of a net that starts from a copy of a trained module.

    Called by the net as ``module(lookback=..., n_columns=..., n_outputs=...)``; the net
    then registers the new fit's target statistics as buffers and solves the highway.
    """

    def __init__(self, module):
        self.module = module

    def __call__(self, *, lookback, n_columns, n_outputs, **kwargs):
        return copy.deepcopy(self.module).cpu()


def warm_refit(estimator, previous, X, y, *, max_epochs: int | None = None):
    """Fit a clone of ``estimator`` whose net starts from ``previous``'s trained weights.

    ``previous`` is the fitted result of the last refit (of the same ``estimator``).
    ``max_epochs`` caps the warm fit's epochs (the net's own when None).
    """
    path = net_parameter(estimator)
    net = find_net(previous)
    model = clone(estimator)
    if path is None or net is None or getattr(net, "module_", None) is None:
        return model.fit(X, y)
    prefix = f"{path}__" if path else ""
    params = {f"{prefix}module": _PreviousModule(net.module_)}
    if max_epochs is not None:
        params[f"{prefix}max_epochs"] = max_epochs
    return model.set_params(**params).fit(X, y)
