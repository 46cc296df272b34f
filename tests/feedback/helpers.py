"""Objects of feedback and actions for the access matrix's organisations (see tests/access_registry.py)."""

from __future__ import annotations

from datetime import timedelta

from cluster.extensions import db, utcnow


def side_objects(make, network, school, held_meeting_id: int, users: dict) -> dict:
    """The member attended the held meeting (they replied "coming"); an open action of the network,
    recorded there and owned by the member's school; a "you said" theme answered by it."""
    from cluster.actions.services import record_action, save_theme
    from cluster.meetings.models import Meeting

    held = db.session.get(Meeting, held_meeting_id)
    make.rsvp(held, users["member"], "yes")
    theme = save_theme(
        network,
        users["organiser"],
        None,
        summary="More time for secondary phase items",
        meeting_id=held.id,
        quotes=[],
        action_ids=[],
    )
    action = record_action(
        network,
        users["organiser"],
        description="Circulate the one-page profile template",
        owner=f"school-{school.id}",
        due_on=(utcnow() + timedelta(days=10)).date(),
        meeting_id=held.id,
        theme_id=theme.id,
    )
    db.session.commit()
    return {"action": action.id, "theme": theme.id}
