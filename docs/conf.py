"""Sphinx configuration: numpydoc, sphinx-gallery and the PyData theme.

Build with ``python -m sphinx -W -b html docs docs/_build/html`` (warnings are errors).
The API page is written here, at build time, from every public module's ``__all__``, so
that a new public name can never be missing from the reference.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import sklearn_vix

project = "sklearn-vix"
author = "The sklearn-vix developers"
copyright = "2026, The sklearn-vix developers"
release = version = sklearn_vix.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "images", "README.md", "auto_examples/*.ipynb", "**.py"]
html_theme = "pydata_sphinx_theme"
html_title = f"sklearn-vix {version}"
html_theme_options = {"navigation_with_keys": False, "show_toc_level": 2}
html_static_path: list[str] = []

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False}
# numpydoc lists members itself; autosummary stubs would otherwise warn twice.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
myst_heading_anchors = 3
# The docstrings that sklearn's mixins give our estimators (``score``, ``set_*_request``)
# point at labels and glossary terms of sklearn's own site, which this offline build has no
# inventory for. Python cross-references (:class:, :func:) are still checked.
suppress_warnings = ["ref.ref", "ref.term"]

# Examples run at build time on the real VIX, with small epoch counts so that the whole
# gallery builds in a few minutes on two cores (each example says where it was cut).
os.environ.setdefault("SKLEARN_VIX_DOCS", "1")
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py",
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "plot_gallery": "True",
    "reset_modules": ("matplotlib",),
    "abort_on_example_error": True,
}

# -- The API reference, generated from __all__ -------------------------------------------

_HERE = Path(__file__).resolve().parent
# The command line is documented on its own page; it has no Python API of its own.
_PRIVATE = {"cli"}


def _public_modules() -> list[str]:
    names = []
    for module in pkgutil.iter_modules(sklearn_vix.__path__):
        if not module.name.startswith("_") and module.name not in _PRIVATE:
            names.append(f"sklearn_vix.{module.name}")
    return sorted(names)


def _api_page() -> str:
    top = sorted(set(sklearn_vix.__all__) - {"__version__"})
    lines = [
        "API reference",
        "=============",
        "",
        "Every public name, generated from the modules' ``__all__``. The estimators are",
        "importable from the top level, ``from sklearn_vix import LSTMRegressor``.",
        "",
    ]

    def block(title: str, module: str, names: list[str]) -> None:
        lines.extend([title, "-" * len(title), "", f".. currentmodule:: {module}", ""])
        lines.extend([".. autosummary::", "   :toctree: generated/", ""])
        lines.extend(f"   {name}" for name in names)
        lines.append("")

    block("Estimators and transformers (``sklearn_vix``)", "sklearn_vix", top)
    for module_name in _public_modules():
        module = importlib.import_module(module_name)
        # Names also exported at the top level are documented once, under it.
        names = sorted(
            name
            for name in getattr(module, "__all__", [])
            if name not in top or getattr(sklearn_vix, name, None) is not getattr(module, name)
        )
        if names:
            block(f"``{module_name}``", module_name, names)
    return "\n".join(lines)


(_HERE / "api.rst").write_text(_api_page())


# ``ndarray of shape (n_samples, n_outputs_)``: reST reads a bare trailing underscore as a
# hyperlink reference; quote such attribute names inside shapes as literals.
_SHAPE_ATTRIBUTE = re.compile(r"(?<=[(, ])(n_[a-z_]+_)(?=[,)])")


def _quote_shape_attributes(app, what, name, obj, options, lines):
    lines[:] = [_SHAPE_ATTRIBUTE.sub(r"``\1``", line) for line in lines]


def setup(app):
    # Runs before numpydoc's own handler (priority 500) turns sections into reST.
    app.connect("autodoc-process-docstring", _quote_shape_attributes, priority=400)
