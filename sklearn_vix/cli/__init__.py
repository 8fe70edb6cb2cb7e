"""The command line ``sklearn-vix``: one module per subcommand, composing public functions.

``report`` runs the whole study into an HTML file, ``predict`` prints the next days'
forecast, ``tune`` searches architectures, ``simulate`` writes simulated data.
"""

from ._main import main

__all__ = ["main"]
