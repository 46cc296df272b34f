"""Date polls (views are being built)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("polls", __name__)
