"""The gallery's order: from first steps to advanced, not by file name."""

ORDER = [
    "plot_is_the_vix_predictable.py",
    "plot_forecast_next_days.py",
    "plot_intervals.py",
    "plot_walk_forward.py",
    "plot_grid_search_architectures.py",
    "plot_save_and_reload.py",
    "plot_exogenous_regressors.py",
    "plot_dask_grid_search.py",
]


class ExampleOrder:
    """sphinx-gallery ``within_subsection_order``: the examples in ``ORDER``, then the rest."""

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename: str):
        name = filename.rsplit("/", 1)[-1]
        return (ORDER.index(name), "") if name in ORDER else (len(ORDER), name)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"
