"""The national-scale benchmark: ``make bench`` (see bench/run.py and docs/scaling.md)."""
