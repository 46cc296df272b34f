"""The agenda as plain Markdown: what the minute-taker opens in their own editor (no DOCX).

A pure function of the agenda view and the reader's zone (times on the reader's clock), each
entry a heading with room (or the minutes so far) beneath it."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from cluster.agenda.queries import AgendaView
from cluster.meetings.notify import place_text, when_text


def _line(text: str) -> str:
    # A title is one line of Markdown: no line breaks, and no leading characters that would make it a list or heading.
    return " ".join(text.split()).lstrip("#>-*+ ")


def agenda_markdown(view: AgendaView, zone: ZoneInfo) -> str:
    meeting = view.meeting
    lines = [
        f"# {_line(meeting.title)}",
        "",
        f"{_line(meeting.network.name)}",
        "",
        f"- When: {when_text(meeting, zone)}",
        f"- Where: {_line(place_text(meeting))}",
    ]
    if view.agenda is not None and view.agenda.status == "draft":
        lines.append("- Status: draft agenda, not yet published")
    if view.plan is not None:
        lines.append(
            f"- Planned to end at {view.plan.ends_at.astimezone(zone):%H:%M}"
            + (f" ({view.plan.overrun_minutes} minutes over)" if view.plan.overrun_minutes else "")
        )
    lines.append("")
    if view.matters and not view.has_matters_slot:
        lines += _matters(view, "## Matters arising")
    for n, entry in enumerate(view.plan.entries if view.plan else [], start=1):
        slot = entry.entry
        starts, ends = entry.starts_at.astimezone(zone), entry.ends_at.astimezone(zone)
        heading = f"## {n}. {starts:%H:%M}–{ends:%H:%M} {_line(slot.title)}"
        lines += [heading, ""]
        facts = [f"{slot.minutes} minutes"]
        if slot.presenter:
            facts.append(f"presenter: {_line(slot.presenter)}")
        if slot.item is not None:
            facts.append(slot.item.kind_label.lower())
            facts.append(f"phases: {slot.item.phases_label.lower()}")
        lines += ["_" + "; ".join(facts) + "_", ""]
        if slot.kind == "matters":
            lines += _matters(view, None)
        if slot.item is not None and slot.item.description:
            lines += [slot.item.description.strip(), ""]
        if slot.kind != "break":
            lines += [
                "### Minutes",
                "",
                slot.minutes_text.strip() or "…",
                "",
                "### Decisions",
                "",
                slot.decisions.strip() or "…",
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"


def _matters(view: AgendaView, heading: str | None) -> list[str]:
    lines = [heading, ""] if heading else []
    for matter in view.matters:
        lines.append(
            f"- **{_line(matter.title)}**"
            + (f" ({_line(matter.source)})" if matter.source else "")
            + (f": {_line(matter.detail)}" if matter.detail else "")
        )
    return lines + [""]
