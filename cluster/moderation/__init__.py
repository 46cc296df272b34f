"""Moderation cases: anonymised pupil cases judged blind by a network."""
