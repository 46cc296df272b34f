"""Domains plug into shared registries (digest sections, scheduled jobs) by defining a module of
an agreed name in their package, e.g. ``cluster/<domain>/digest.py``."""
from __future__ import annotations

import importlib
import importlib.util
import pkgutil


def import_domain_modules(module_name: str) -> None:
    """Import ``cluster.<domain>.<module_name>`` for every domain package that has one."""
    import cluster

    for module in pkgutil.iter_modules(cluster.__path__):
        name = f"cluster.{module.name}.{module_name}"
        if module.ispkg and importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
