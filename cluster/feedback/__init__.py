"""Feedback after every meeting."""
