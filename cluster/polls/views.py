"""Date polls of a network: the list, opening a poll, answering it, the ranking, reminding,
closing early and finalising into a meeting. Who may do what is in :mod:`cluster.polls.access`."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from cluster.extensions import db
from cluster.networks.access import NetworkAccess, load_network
from cluster.networks.models import Network
from cluster.polls import notify, queries, services
from cluster.polls.access import can_see_results
from cluster.polls.forms import FinaliseForm, PollForm, VoteForm, posted_answers
from cluster.polls.models import DatePoll
from cluster.polls.services import PollRuleError, Problem, is_open
from cluster.tenancy.access import get_for_organisation

bp = Blueprint("polls", __name__)
POLLS = "/networks/<int:network_id>/polls"
POLL = POLLS + "/<int:poll_id>"


def _poll_of(network: Network, poll_id: int) -> DatePoll:
    """The poll of ``network`` (404 for a foreign poll or another network's), with its slots."""
    poll = get_for_organisation(DatePoll, poll_id, selectinload(DatePoll.slots))
    if poll.network_id != network.id:
        abort(404)
    return poll


def _wants_json() -> bool:
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


@bp.get(POLLS)
def index(network_id: int):
    network, standing = load_network(network_id)
    polls = queries.network_polls(network, current_user, standing.can_vote)
    return render_template("polls/index.html", network=network, standing=standing, polls=polls)


@bp.route(POLLS + "/new", methods=["GET", "POST"])
def new(network_id: int):
    """Organisers open a poll; "Add more slots" re-renders with more rows, keeping what was typed."""
    network, _ = load_network(network_id, "organise")
    form = PollForm()
    if form.add_slots.data:
        form.add_rows()
    elif form.validate_on_submit():
        try:
            poll = services.create_poll(
                network,
                created_by=current_user,
                title=form.title.data,
                description=form.description.data or "",
                closes_at=form.closes_at,
                slots=form.drafts,
            )
        except PollRuleError as refused:
            form.attach(refused.problems)
        else:
            flagged = sum(1 for view in queries.slot_views(g.organisation, poll.slots).values() if view.flags)
            db.session.commit()
            flash(_opened_message(flagged), "success")
            return redirect(url_for(".show", network_id=network_id, poll_id=poll.id))
    return render_template("polls/new.html", form=form, network=network)


def _opened_message(flagged: int) -> str:
    if not flagged:
        return "Poll opened. Members can answer now."
    days = "slot falls" if flagged == 1 else "slots fall"
    return f"Poll opened. {flagged} {days} on a bank holiday, school holiday, INSET day or weekend: they are marked below."


@bp.get(POLL)
def show(network_id: int, poll_id: int):
    network, standing = load_network(network_id)
    poll = _poll_of(network, poll_id)
    return _show_page(network, poll, standing)


def _show_page(
    network: Network,
    poll: DatePoll,
    standing: NetworkAccess,
    form: VoteForm | None = None,
    posted: dict | None = None,
    refused: PollRuleError | None = None,
    status: int = 200,
):
    """The poll: the answer form for voters (one fieldset of radios per slot), the slots for everyone else."""
    saved = queries.own_answers(poll, current_user) if standing.can_vote else {}
    if standing.can_vote and form is None:
        form = VoteForm(comment=queries.own_comment(poll, current_user))
    return render_template(
        "polls/show.html",
        network=network,
        poll=poll,
        standing=standing,
        form=form,
        refused=refused,
        chosen={**saved, **(posted or {})},
        answered=bool(saved),
        is_open=is_open(poll),
        slots=queries.slot_views(g.organisation, poll.slots),
        deputy=g.membership.deputy_name if standing.can_vote else "",
        can_see_results=can_see_results(standing, poll, bool(saved)),
    ), status


@bp.post(POLL + "/answers")
def answer(network_id: int, poll_id: int):
    """Voters save their answers: the whole form, or on each change from poll.mjs (which asks for JSON)."""
    network, standing = load_network(network_id, "vote")
    poll = _poll_of(network, poll_id)
    form, deputy = VoteForm(), bool(g.membership.deputy_name)
    posted = posted_answers(request.form, poll.slots, with_deputy=deputy)
    try:
        if not form.validate():
            raise PollRuleError(
                Problem(
                    form.comment.errors[0] if form.comment.errors else "Reload the page and try again",
                    "comment",
                )
            )
        services.save_answers(
            poll, current_user, posted, comment=form.comment.data or "", for_deputy_allowed=deputy
        )
    except PollRuleError as refused:
        if _wants_json():
            return jsonify(saved=False, message=str(refused)), 400 if is_open(poll) else 409
        return _show_page(network, poll, standing, form=form, posted=posted, refused=refused, status=400)
    db.session.commit()
    if _wants_json():
        return jsonify(saved=True, message="Saved")
    flash("Your answers are saved. You can change them until the poll closes.", "success")
    return redirect(url_for(".show", network_id=network_id, poll_id=poll_id))


@bp.get(POLL + "/results")
def results(network_id: int, poll_id: int):
    network, standing = load_network(network_id)
    poll = _poll_of(network, poll_id)
    return _results_page(network, poll, standing)


def _results_page(
    network: Network,
    poll: DatePoll,
    standing: NetworkAccess,
    finalise_form: FinaliseForm | None = None,
    status: int = 200,
):
    """The ranking; for organisers also who has not answered, and the remind, close and finalise buttons."""
    found = queries.poll_results(poll, network, g.organisation)
    if not can_see_results(standing, poll, current_user.id in found.respondent_ids):
        flash("Answer the poll first: then you can see everyone's answers.", "info")
        return redirect(url_for(".show", network_id=network.id, poll_id=poll.id))
    if finalise_form is None and standing.can_organise and poll.status != "finalised":
        finalise_form = FinaliseForm(
            slot_id=found.suggested.slot.id if found.suggested else None, title=poll.title
        )
    if finalise_form is not None:
        finalise_form.slot_id.choices = [(r.slot.id, found.slots[r.slot.id].when) for r in found.ranked]
    return render_template(
        "polls/results.html",
        network=network,
        poll=poll,
        standing=standing,
        results=found,
        finalise_form=finalise_form,
        is_open=is_open(poll),
    ), status


@bp.post(POLL + "/remind")
def remind(network_id: int, poll_id: int):
    """Organisers email the members who have not answered, and nobody else."""
    network, _ = load_network(network_id, "organise")
    poll = _poll_of(network, poll_id)
    users = [membership.user for membership in queries.non_respondents(poll, network)]
    try:
        services.record_reminder(poll, users)
    except PollRuleError as refused:
        flash(str(refused), "info")
        return redirect(url_for(".results", network_id=network_id, poll_id=poll_id))
    people, sender_name = notify.recipients(users), current_user.name
    db.session.commit()
    failed = notify.send_reminders(poll, network, people, sender_name)
    flash(_emailed("Reminder sent to {people}.", len(people), failed), "success")
    return redirect(url_for(".results", network_id=network_id, poll_id=poll_id))


def _emailed(message: str, count: int, failed: int) -> str:
    """``message`` with the number of people filled in, and how many could not be emailed."""
    text = message.format(people=f"{count} {'person' if count == 1 else 'people'}")
    return text + (f" {failed} could not be emailed: try again later." if failed else "")


@bp.post(POLL + "/close")
def close(network_id: int, poll_id: int):
    """Organisers close a poll before its closing date."""
    network, _ = load_network(network_id, "organise")
    poll = _poll_of(network, poll_id)
    try:
        services.close_poll(poll)
    except PollRuleError as refused:
        flash(str(refused), "info")
    else:
        db.session.commit()
        flash("The poll is closed: answers can no longer change.", "success")
    return redirect(url_for(".results", network_id=network_id, poll_id=poll_id))


@bp.post(POLL + "/finalise")
def finalise(network_id: int, poll_id: int):
    """Organisers pick the date: the meeting is scheduled and those who can come are emailed."""
    network, standing = load_network(network_id, "organise")
    poll = _poll_of(network, poll_id)
    form = FinaliseForm()
    form.slot_id.choices = [(slot.id, "") for slot in poll.slots]
    if not form.validate_on_submit():
        return _results_page(network, poll, standing, finalise_form=form, status=400)
    slot = next(slot for slot in poll.slots if slot.id == form.slot_id.data)
    try:
        meeting = services.finalise_poll(poll, slot, by=current_user, title=form.title.data)
    except PollRuleError as refused:
        flash(str(refused), "info")
        return redirect(url_for(".results", network_id=network_id, poll_id=poll_id))
    people = notify.recipients(queries.people_who_can_come(poll, slot))
    db.session.commit()
    failed = notify.send_date_chosen(poll, network, slot, meeting, people)
    message = "Meeting scheduled. The date was emailed to the {people} who said they could come."
    flash(
        _emailed(message, len(people), failed)
        if people
        else "Meeting scheduled. Nobody had said they could come.",
        "success",
    )
    return redirect(url_for(".results", network_id=network_id, poll_id=poll_id))
