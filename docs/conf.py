"""Sphinx configuration: numpydoc, sphinx-gallery and the PyData theme.

Build with ``python -m sphinx -W -b html docs docs/_build/html`` (warnings are errors).
The API page is written here, at build time, from every public module's ``__all__``, so
that a new public name can never be missing from the reference.
"""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import sklearn_vix

# The gallery's sort key lives beside this file.
sys.path.insert(0, str(Path(__file__).resolve().parent / "sphinxext"))

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
exclude_patterns = [
    "_build",
    "_templates",
    "images",
    "README.md",
    "auto_examples/*.ipynb",
    "**.py",
]
templates_path = ["_templates"]
html_theme = "pydata_sphinx_theme"
html_title = f"sklearn-vix {version}"
html_theme_options = {"navigation_with_keys": False, "show_toc_level": 2}
html_static_path = ["_static"]
html_css_files = ["custom.css"]

autosummary_generate = True
# The class pages (docs/_templates/autosummary/class.rst) list the members a user calls,
# inherited ones included; _skip_member below drops the skorch and scikit-learn plumbing.
autodoc_default_options = {"inherited-members": True}
# numpydoc lists members itself; autosummary stubs would otherwise warn twice.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
myst_heading_anchors = 3
# The docstrings that sklearn's mixins give our estimators (``score``, ``set_*_request``)
# point at labels and glossary terms of sklearn's own site, which this offline build has no
# inventory for. Python cross-references (:class:, :func:) are still checked.
suppress_warnings = ["ref.ref", "ref.term"]

# Examples run at build time on the real VIX, with recent years and small epoch counts so
# that the whole build stays within three minutes on two cores (each example says where
# it was cut).
os.environ.setdefault("SKLEARN_VIX_DOCS", "1")
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py",
    # From first steps to advanced (docs/sphinxext/gallery_order.py), not by file name.
    "within_subsection_order": "gallery_order.ExampleOrder",
    # "Examples using this" on every API page (the minigallery in the page templates).
    "doc_module": ("sklearn_vix",),
    "backreferences_dir": "generated/backreferences",
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


# -- What the class pages show ----------------------------------------------------------

# The nets' skorch hooks that sklearn-vix overrides are plumbing, except these.
_NET_USER_METHODS = {"fit", "partial_fit", "predict"}


def _skorch_names() -> set[str]:
    try:
        from skorch import NeuralNet
    except ImportError:
        return set()
    return set(dir(NeuralNet))


_SKORCH_NAMES = _skorch_names()


def _skip_member(app, what, name, obj, skip, options):
    """Show a class's public members defined by sklearn-vix; skip inherited plumbing.

    Without this a net's page lists about forty skorch methods (``on_epoch_end``,
    ``get_iterator``, ...) and every estimator lists scikit-learn's metadata routing.
    """
    if what != "class" or skip or name.startswith("_"):
        return None
    target = getattr(obj, "fget", obj)
    if not str(getattr(target, "__module__", "")).startswith("sklearn_vix"):
        return True
    if name in _SKORCH_NAMES and name not in _NET_USER_METHODS:
        return True
    return None


def _net_signature(app, what, name, obj, options, signature, return_annotation):
    """A net's signature lists its documented parameters, not ``**kwargs``.

    skorch takes its training parameters (``max_epochs``, ``lr``, ``batch_size``,
    ``callbacks``...) through ``**kwargs``; the page shows each parameter of the
    docstring with its default, and ``callbacks``.
    """
    if what != "class" or not _SKORCH_NAMES or "**kwargs" not in (signature or ""):
        return None
    from numpydoc.docscrape import NumpyDocString

    documented = [p.name for p in NumpyDocString(inspect.getdoc(obj))["Parameters"]]
    instance = obj()
    shown = [n for n in documented if not n.startswith("*") and hasattr(instance, n)]
    if "callbacks" not in shown and hasattr(instance, "callbacks"):
        shown.append("callbacks")
    first, rest = shown[:1], shown[1:]
    parts = [f"{n}={getattr(instance, n)!r}" for n in first] + ["*"]
    parts += [f"{n}={getattr(instance, n)!r}" for n in rest] + ["**kwargs"]
    return f"({', '.join(parts)})", return_annotation


def setup(app):
    # Runs before numpydoc's own handler (priority 500) turns sections into reST.
    app.connect("autodoc-process-docstring", _quote_shape_attributes, priority=400)
    app.connect("autodoc-skip-member", _skip_member)
    app.connect("autodoc-process-signature", _net_signature)
