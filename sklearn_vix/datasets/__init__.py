"""Data: the real VIX shipped with the package, Cboe's current files fetched and cached, the
simulator, the CBOE file loader and the supervised framing."""

from ._cboe import fetch_cboe, get_data_home
from ._loaders import load_vix, load_vix_csv
from ._simulator import load_vix_sim, make_vix_sim
from ._supervised import make_supervised

__all__ = [
    "fetch_cboe",
    "get_data_home",
    "load_vix",
    "load_vix_csv",
    "load_vix_sim",
    "make_supervised",
    "make_vix_sim",
]
