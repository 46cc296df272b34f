"""Actions that carry forward, and "you said, we did"."""
