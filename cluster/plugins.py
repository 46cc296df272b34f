"""Plug-in points: a lower layer declares a :class:`Registry`; a higher domain adds to it in its
``register(app)``.

This is how the layers talk upwards without importing upwards: the digest declares "sections", the
scheduler "jobs", the agenda "sources of matters arising", and each domain that has something to
contribute says so in one visible place, its package's ``register`` function (CTFd's plug-ins and
Indico's modules work the same way). Nothing is found by file name or by the side effect of an
import: a module that is not registered contributes nothing.

Entries are kept on the application (``app.extensions``), so two apps in one process (tests) never
share them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Generic, TypeVar

from flask import Flask, current_app

T = TypeVar("T")

_KEY = "cluster.plugins"


class Registry(Generic[T]):
    """Named entries of one kind, kept per application."""

    def __init__(self, name: str) -> None:
        self.name = name

    def add(self, app: Flask, key: str, entry: T) -> T:
        """Add ``entry`` under ``key`` (registering a key twice is an error: two domains would be
        claiming the same name)."""
        entries = app.extensions.setdefault(_KEY, {}).setdefault(self.name, {})
        if key in entries and entries[key] is not entry:
            raise ValueError(f"{self.name}: {key!r} is registered twice")
        entries[key] = entry
        return entry

    def entries(self, app: Flask | None = None) -> Mapping[str, T]:
        """Every entry, in the order the domains registered them."""
        app = app if app is not None else current_app
        return app.extensions.get(_KEY, {}).get(self.name, {})

    def __repr__(self) -> str:
        return f"Registry({self.name!r})"
