"""Command-line tools for date polls: ``flask --app cluster polls ...``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from cluster.extensions import db
from cluster.polls.services import close_due_polls
from cluster.timeutil import to_local

polls_cli = AppGroup("polls", help="Date polls (closing those whose closing time has passed).")


@polls_cli.command("close-due")
def close_due_command() -> None:
    """Close every open date poll whose closing time has passed, and list them.

    Safe to run again, late, or from the scheduler: a poll is only ever closed once, so a
    second run closes (and prints) nothing.
    """
    closed = close_due_polls()
    lines = [
        f"Closed poll {poll.id} “{poll.title}” of {poll.network.name} "
        f"(closing time {to_local(poll.closes_at).strftime('%-d %B %Y, %H:%M')})."
        for poll in closed
    ]
    db.session.commit()
    for line in lines:
        click.echo(line)
    if closed:
        click.echo(f"Closed {len(closed)} poll{'s' if len(closed) != 1 else ''}.")
    else:
        click.echo("No polls were due to close.")
