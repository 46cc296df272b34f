"""The agenda blueprint (a child of the organisation blueprint), shared by the view modules."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("agenda", __name__)
