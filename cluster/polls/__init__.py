"""Date polls: candidate dates, answers per member, ranking, and the meeting they become."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Flask

from cluster.digests.sections import add_section
from cluster.feeds.sources import add_day_source
from cluster.jobs.registry import add_job
from cluster.polls import digest, feed, jobs, views
from cluster.polls.cli import polls_cli


def register(app: Flask, pages: Blueprint) -> None:
    """The polls pages, unanswered polls in the digest, the job that closes polls, and
    ``flask polls close-due``."""
    pages.register_blueprint(views.bp)
    add_section(app, "needs_you", digest.unanswered_polls, order=10, name="polls.unanswered")
    add_job(
        app,
        "close-polls",
        jobs.close_polls,
        every=timedelta(minutes=5),
        misfire_grace=timedelta(minutes=4),
        run_at_start=True,
    )
    app.cli.add_command(polls_cli)
    add_day_source(app, "polls", feed.poll_closing_dates)
    feed.watch_polls(app)
