"""Command-line tools: ``flask --app cluster <command>``."""

from __future__ import annotations

import click
from flask import Flask, current_app

from cluster.actions.demo import build_feedback_demo
from cluster.agenda.demo import build_agenda_demo
from cluster.extensions import db
from cluster.meetings.demo import build_meetings_demo
from cluster.moderation.demo import build_moderation_demo
from cluster.ops.backup import backup_command
from cluster.polls.demo import build_polls_demo
from cluster.resources.demo import build_resources_demo
from cluster.speakers.demo import build_speakers_demo
from cluster.web.demo import data
from cluster.web.demo.builder import build_demo, build_large
from cluster.web.demo.digests import build_digest_demo

#: Each domain's demo, in order: each adds to Northbrook only what is missing (so the command can
#: run again), and may use what the ones before it made.
DEMOS = (
    build_meetings_demo,
    build_polls_demo,
    build_agenda_demo,
    build_resources_demo,
    build_digest_demo,
    build_speakers_demo,
    build_moderation_demo,
    build_feedback_demo,
)


def init_app(app: Flask) -> None:
    """The app's own commands (each domain adds its own in its ``register``)."""
    app.cli.add_command(demo)
    app.cli.add_command(backup_command)


@click.command("demo")
@click.option(
    "--scale",
    type=click.Choice(["small", "large"]),
    default="small",
    show_default=True,
    help="small: the Northbrook and Eastwick demo; large: that plus a 300-school authority.",
)
def demo(scale: str) -> None:
    """Load the demo data (safe to run again: existing data is left alone)."""
    created = build_demo()
    db.session.commit()
    for build in DEMOS:
        created = build() or created
        db.session.commit()
    if not created:
        click.echo("Demo data is already loaded.")
    if scale == "large":
        created = build_large()
        db.session.commit()
        click.echo(
            "Built Largeshire (300 schools, 12 networks, 1,000 users)."
            if created
            else "Largeshire is already loaded."
        )
    click.echo("")
    click.echo("Demo sign-ins:")
    for who, email, password in [
        ("Platform admin", "platform@cluster.example", data.PLATFORM_PASSWORD),
        ("Northbrook org admin", "admin@northbrook.example", data.NORTHBROOK_PASSWORD),
        ("Northbrook organiser", "organiser@northbrook.example", data.NORTHBROOK_PASSWORD),
        (
            "Northbrook SENCO",
            "senco1@northbrook.example … senco20@northbrook.example",
            data.NORTHBROOK_PASSWORD,
        ),
        ("Northbrook observer (EP)", "ep@northbrook.example", data.NORTHBROOK_PASSWORD),
        ("Eastwick org admin", "admin@eastwick.example", data.EASTWICK_PASSWORD),
        ("Eastwick SENCO", "senco1@eastwick.example … senco5@eastwick.example", data.EASTWICK_PASSWORD),
    ]:
        click.echo(f"  {who:<28} {email:<55} {password}")
    if current_app.config["MAIL_BACKEND"] == "file":
        click.echo(
            f"\nEmails (invitations, password resets) are written to {current_app.config['CLUSTER_OUTBOX']}"
        )
