"""Planning a year's programme of meetings at once (views are being built)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("programme", __name__)
