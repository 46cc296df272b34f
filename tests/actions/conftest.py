"""The actions tests use the feedback tests' held meeting (a network of three schools, its
organiser and SENCOs, and a meeting held three days ago)."""

from tests.feedback.conftest import Network, held  # noqa: F401  (fixture and its type, shared)
