"""The report's page, checked without running the study: wording, layout, dates."""

import types

import numpy as np
import pandas as pd
import pytest

from sklearn_vix.cli import _html, report
from sklearn_vix.cli._recommend import Recommendation, recommend


def _summary(p_persistence: float, p_har: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rmse_ratio": [1.0, 0.99, 0.9872],
            "dm_pvalue": [np.nan, 0.07, p_persistence],
            "dm_pvalue_har": [0.07, np.nan, p_har],
        },
        index=pd.Index(["persistence", "HAR", "LSTM (log)"], name="model"),
    )


FORECAST = pd.DataFrame(
    {"forecast": [12.5], "lower": [11.9], "upper": [13.4]},
    index=pd.DatetimeIndex(["2024-01-02"]),
)
WALK = types.SimpleNamespace(verdict="random walk rejected by ADF")


def _text(parts) -> str:
    return " ".join(parts)


def _answers(summary, recommendation, net_verdict="") -> str:
    parts = report._answers(summary, WALK, FORECAST, recommendation, net_verdict, 1, "2023-12-29")
    return _text(parts)


def test_a_model_not_shown_better_is_not_called_best():
    summary = _summary(0.061, 0.144)
    text = _answers(summary, recommend(None, summary, 1))
    assert "best" not in text.lower()
    assert "Use persistence. No model beats persistence at the 5 % level" in text
    assert "persistence, from the last close to 2023-12-29, forecasts 12.50" in text


def test_a_significant_model_is_said_to_be():
    summary = _summary(0.01, 0.03)
    text = _answers(summary, recommend(None, summary, 1))
    assert "Use LSTM (log). LSTM (log) has the lowest RMSE" in text
    assert "significantly better than the simpler" not in text  # no simpler candidate
    assert "significantly more accurate than persistence at the 5 % level" in text
    assert (
        "significantly more accurate than HAR at the 5 % level (Diebold-Mariano p = 0.030)" in text
    )
    assert (
        "LSTM (log), fitted on every session to 2023-12-29, forecasts 12.50 for 2024-01-02" in text
    )


def test_the_net_is_said_not_to_beat_the_recommended_model():
    summary = _summary(0.01, 0.03)
    verdict = " The network (LSTM (log)) does not beat HAR."
    text = _answers(summary, Recommendation("HAR", "because."), verdict)
    assert text.count("does not beat HAR") == 1


def test_an_untrained_net_is_said_to_be_its_linear_highway_beside_its_curve():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    section = report._net_section(plt.figure(), True, "linear (log, calendar)")
    assert "never went below its value before training" in section
    assert "linear highway" in section and 'class="warning"' in section
    assert "the report forecasts with linear (log, calendar)" in section
    trained = report._net_section(plt.figure(), False, "LSTM (log)")
    assert "warning" not in trained and "not shown" not in trained
    plt.close("all")


@pytest.mark.parametrize("today, warned", [("2024-01-03", False), ("2026-11-29", True)])
def test_stale_data_is_said_prominently_with_the_way_out(today, warned):
    frame = pd.DataFrame({"vix": [12.0, 12.5]}, index=pd.to_datetime(["2023-12-28", "2023-12-29"]))
    header = report._header(frame, "load_vix()", 42.0, pd.Timestamp(today, tz="UTC"))
    assert "2023-12-28 to 2023-12-29" in header and "in 42 s" in header
    assert ('class="warning"' in header) is warned
    if warned:
        assert "--data VIX_History.csv" in header and "cboe.com" in header


def test_tables_scroll_inside_the_page_and_have_one_header_row():
    frame = pd.DataFrame({"a": [1.0]}, index=pd.Index(["x"], name="model"))
    tag = _html.table_tag(frame)
    assert tag.startswith('<div class="table-wrap">')
    assert tag.count("<tr") == 2  # one header row, one body row
    page = _html.page("t", [tag])
    assert ".table-wrap { max-width: 100%; overflow-x: auto; }" in page
    assert "img { max-width: 100%; }" in page


def test_best_values_are_marked():
    summary = _summary(0.061, 0.144).assign(skill=[0.0, 0.02, 0.025])
    cells = report._marked_summary(summary)
    assert cells.loc["LSTM (log)", "RMSE ÷ persistence"] == "<b>0.9872</b>"
    assert cells.loc["LSTM (log)", "skill vs persistence"] == "<b>0.025</b>"
    assert "DM p vs HAR" in cells.columns


def test_long_steps_are_announced_on_a_terminal_only(capsys):
    report._step(True, "walking linear forward")
    report._step(False, "fitting the net")
    captured = capsys.readouterr()
    assert captured.err == "walking linear forward...\n" and captured.out == ""


def test_the_fan_chart_draws_nested_bands_of_one_forecast_whose_90_band_is_the_table():
    from sklearn.linear_model import LinearRegression

    from sklearn_vix import make_forecaster
    from sklearn_vix.cli import _figures
    from sklearn_vix.cli._common import forecast_quantiles, forecast_table
    from sklearn_vix.cli._models import final_forecaster
    from sklearn_vix.datasets import load_vix_sim, make_supervised

    series = load_vix_sim().iloc[:1200]
    X, y = make_supervised(series, horizon=5)
    models = {"linear": make_forecaster(LinearRegression())}
    final = final_forecaster("linear", models).fit(X, y)
    table = forecast_table(final, series, 5)
    points = forecast_quantiles(final, series, 5)
    np.testing.assert_allclose(points["q05"], table["lower"])
    np.testing.assert_allclose(points["q95"], table["upper"])
    assert (np.diff(points.to_numpy(), axis=1) >= 0).all()
    figure = _figures.fan_chart(series["vix"], table, "linear", "tab:blue", quantiles=points)
    bands = {c.get_label(): c for c in figure.axes[0].collections}
    assert set(bands) == {"90 % band", "50 % band"}

    def edges(band):
        heights = band.get_paths()[0].vertices[:, 1]
        return set(np.round(heights, 9))

    for low, high, label in (("lower", "upper", "90 % band"), ("q25", "q75", "50 % band")):
        source = table if label == "90 % band" else points
        assert set(np.round(source[[low, high]].to_numpy().ravel(), 9)) <= edges(bands[label])
