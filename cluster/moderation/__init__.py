"""Moderation cases: anonymised pupil cases judged blind by a network."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Flask

from cluster.digests.sections import add_section
from cluster.jobs.registry import add_job
from cluster.moderation import digest, jobs, views


def register(app: Flask, pages: Blueprint) -> None:
    """The cases and scale pages, cases awaiting judgment in the digest, and the jobs that close
    judging and purge expired cases."""
    pages.register_blueprint(views.bp)
    add_section(app, "needs_you", digest.cases_awaiting_judgment, order=40)
    add_job(
        app,
        "close-moderation-judging",
        jobs.close_moderation_judging,
        every=timedelta(minutes=5),
        misfire_grace=timedelta(minutes=4),
        run_at_start=True,
    )
    add_job(
        app,
        "purge-expired-cases",
        jobs.purge_expired_cases,
        every=timedelta(days=1),
        misfire_grace=timedelta(hours=23),
        run_at_start=True,
    )
