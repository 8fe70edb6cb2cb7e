"""Data: the real VIX shipped with the package, the simulator, the CBOE file loader and the
supervised framing."""

from ._loaders import load_vix, load_vix_csv
from ._simulator import load_vix_sim, make_vix_sim
from ._supervised import make_supervised

__all__ = ["load_vix", "load_vix_csv", "load_vix_sim", "make_supervised", "make_vix_sim"]
