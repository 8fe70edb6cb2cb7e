"""The pandas views every reader shares: row labels, one column, forecasts as frames."""

import numpy as np
import pandas as pd

from sklearn_vix._frames import as_frame, column_values, row_index


def test_numpy_rows_are_labelled_from_zero_and_frames_keep_their_index():
    frame = pd.DataFrame({"vix": [20.0, 21.0]}, index=pd.to_datetime(["2020-01-02", "2020-01-03"]))
    assert row_index(frame).equals(frame.index)
    assert row_index(np.zeros((3, 2))).equals(pd.RangeIndex(3))


def test_column_values_read_frames_and_arrays_alike():
    frame = pd.DataFrame({"a": [1, 2], "b": [3, 4]})
    np.testing.assert_array_equal(column_values(frame, 1), [3.0, 4.0])
    np.testing.assert_array_equal(column_values(frame.to_numpy(), 1), [3.0, 4.0])
    assert column_values(frame, 1).dtype == np.float64


def test_forecast_frames_take_their_column_names_from_the_target():
    index = pd.RangeIndex(2)
    y = pd.DataFrame({"vix_t+1": [1.0, 2.0], "vix_t+2": [3.0, 4.0]})
    assert list(as_frame(y.to_numpy(), index, like=y).columns) == ["vix_t+1", "vix_t+2"]
    assert list(as_frame(pd.Series([1.0, 2.0], name="vix"), index).columns) == ["vix"]
    assert list(as_frame(np.zeros((2, 3)), index).columns) == ["step1", "step2", "step3"]
    assert list(as_frame(np.zeros(2), index).columns) == ["step1"]
