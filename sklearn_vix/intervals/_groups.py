"""Calendar groups of the conformity scores: the closed days before each target session.

Monday forecasts cross a weekend and move more than Tuesday's; a forecast across a
holiday more still. A score's group is ``min(closed days, 3)`` between its origin and its
target (:func:`sklearn_vix.calendar.closed_days`): 0 between consecutive sessions, 1 for
a one-day holiday, 2 over a weekend, 3 for a long weekend or more. The count reads the
exchange's *published* schedule, so an unscheduled closure (9/11, Hurricane Sandy)
changes no group: it was not known at the origin.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..calendar import closed_days

__all__ = ["MAX_CLOSED_DAYS", "calendar_groups"]

# Closed calendar days counted up to this many: a long weekend and a four-day closure
# (Christmas on a Thursday and a Friday off) are rare enough to share a group.
MAX_CLOSED_DAYS = 3


def calendar_groups(X, n_steps: int) -> np.ndarray | None:
    """The calendar group of each row and step of ``X``, or None without dates.

    Parameters
    ----------
    X : DataFrame indexed by date, or any table
        Forecast origins; only a ``DatetimeIndex`` (naive or tz-aware) has groups.
    n_steps : int
        Forecast steps.

    Returns
    -------
    groups : ndarray of int64 of shape (n_samples, n_steps) or None
        ``min(closed days before the k-th session after the row, 3)``.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_vix.intervals._groups import calendar_groups
    >>> X = pd.DataFrame({"vix": [13.0, 12.5]}, index=pd.to_datetime(["2023-12-28", "2023-12-29"]))
    >>> calendar_groups(X, 2).tolist()
    [[0, 3], [3, 3]]
    """
    index = getattr(X, "index", None)
    if not isinstance(index, pd.DatetimeIndex):
        return None
    return np.minimum(closed_days(index, n_steps), MAX_CLOSED_DAYS)
