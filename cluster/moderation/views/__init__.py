"""Moderation's pages, one blueprint over two modules: cases (submitting, judging, outcomes) and
the organisation's judgment scale. Each module adds its routes to :data:`bp`."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("moderation", __name__)

from cluster.moderation.views import cases, scale  # noqa: E402, F401
