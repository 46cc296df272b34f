"""The organisation's school calendar (views are being built)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("calendar", __name__, url_prefix="/calendar")
