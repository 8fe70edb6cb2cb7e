"""``python -m sklearn_vix``: the command line."""

from .cli import main

raise SystemExit(main())
