"""The package as installed: light imports, and the baselines without the nets extra."""

import subprocess
import sys
import textwrap


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120
    )


def test_import_does_not_load_torch_until_a_net_is_used():
    result = run_python(
        """
        import sys
        import sklearn_vix
        from sklearn_vix.datasets import load_vix_sim
        assert "torch" not in sys.modules and "skorch" not in sys.modules
        assert "exchange_calendars" not in sys.modules
        sklearn_vix.LSTMRegressor
        assert "torch" in sys.modules
        """
    )
    assert result.returncode == 0, result.stderr


BLOCK_TORCH = """
    import sys

    class BlockTorch:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("torch", "skorch"):
                raise ModuleNotFoundError(f"No module named {name!r}")

    sys.meta_path.insert(0, BlockTorch())
"""


def test_baselines_and_evaluation_work_without_torch():
    result = run_python(
        BLOCK_TORCH
        + """
    from sklearn_vix import HARRegressor, PersistenceRegressor
    from sklearn_vix.datasets import load_vix_sim, make_supervised
    from sklearn_vix.model_selection import compare_models
    X, y = make_supervised(load_vix_sim().iloc[:800])
    models = {"persistence": PersistenceRegressor(), "har": HARRegressor()}
    print(compare_models(models, X, y).summary.shape[0])
    """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2"


def test_a_net_without_torch_names_the_extra_to_install():
    result = run_python(
        BLOCK_TORCH
        + """
    import sklearn_vix
    sklearn_vix.LSTMRegressor
    """
    )
    assert result.returncode != 0
    assert "pip install 'sklearn-vix[nets]'" in result.stderr
