"""Panels: blocks a higher domain adds to a lower domain's page.

A page of a lower domain (a school, a meeting) declares its panels with :class:`Panels`; a domain
above it adds a :class:`Panel` in its ``register(app)``: a template and a function that loads what
the template shows. The page's view calls :meth:`Panels.load` and its template includes each::

    {% for panel in panels %}{% include panel.template %}{% endfor %}

so the lower domain neither imports the higher one nor names its templates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask

from cluster.plugins import Registry


@dataclass(frozen=True)
class Panel:
    #: The template included on the page; it reads ``panel.data``.
    template: str
    #: Called with the page's objects; returns what the template shows (a fixed number of queries).
    load: Callable[..., Any]
    #: Lower comes first on the page.
    order: int = 100


@dataclass(frozen=True)
class LoadedPanel:
    template: str
    data: Any


class Panels(Registry[Panel]):
    """The panels of one kind of page."""

    def add_panel(
        self, app: Flask, name: str, template: str, load: Callable[..., Any], *, order: int = 100
    ) -> None:
        self.add(app, name, Panel(template, load, order))

    def load(self, *args: Any, **kwargs: Any) -> list[LoadedPanel]:
        """Every panel's data for this page, in order."""
        panels = sorted(self.entries().values(), key=lambda panel: panel.order)
        return [LoadedPanel(panel.template, panel.load(*args, **kwargs)) for panel in panels]
