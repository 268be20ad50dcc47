"""ockit: a course kit on organisation communautaire in Quebec's CISSS and CIUSSS.

The public names are loaded on first use so that `import ockit` stays fast: pandas,
matplotlib and ipywidgets are imported only by the functions that need them.
"""

__version__ = "0.1.0"

_LAZY = {
    "load": "ockit.data",
    "validate": "ockit.data",
    "clear_cache": "ockit.data",
    "DataError": "ockit.data",
    "DataErrors": "ockit.data",
    "to_reference": "ockit.frameworks",
    "from_reference": "ockit.frameworks",
    "crosswalk": "ockit.frameworks",
    "score": "ockit.scoring",
    "jaccard": "ockit.scoring",
    "suggest": "ockit.suggester",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'ockit' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
