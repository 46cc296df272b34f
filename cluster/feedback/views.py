"""Feedback pages: the attendee's form, a meeting's results, the network's charts and reports."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from cluster.extensions import db, utcnow
from cluster.feedback import insights, queries, reports, services
from cluster.feedback.forms import PeriodForm, feedback_form, rating_field_name
from cluster.meetings.access import load_meeting
from cluster.networks.access import load_network
from cluster.timeutil import local_date, to_local
from cluster.ui.charts import Series, bar_chart
from cluster.ui.panels import Panels

bp = Blueprint("feedback", __name__)

#: Blocks other domains add to a meeting's feedback results (the actions taken), called with the meeting.
RESULTS_PANELS = Panels("feedback results panels")
#: Blocks other domains add to the network's charts page, called with the network and the period.
INSIGHTS_PANELS = Panels("network charts panels")


@bp.route("/meetings/<int:meeting_id>/feedback", methods=["GET", "POST"])
def give(meeting_id: int):
    """An attendee's feedback: one response each, editable until 14 days after the meeting."""
    meeting, _ = load_meeting(meeting_id)
    if meeting.status != "held":
        abort(404)
    if not services.is_attendee(meeting, current_user):
        abort(403)
    subjects = services.subjects(meeting)
    response = services.response_of(meeting, current_user)
    open_now = services.is_open(meeting)
    data = None
    if response is not None and request.method == "GET":
        data = {
            "usefulness": str(response.usefulness),
            "relevance": str(response.relevance),
            "keep": response.keep,
            "change": response.change,
            "add": response.add,
            "anonymous": response.anonymous,
        }
        data.update({f"rating_{r.kind}_{r.subject_id}": str(r.rating) for r in response.ratings})
    form = feedback_form(subjects, data)
    if request.method == "POST" and not open_now:
        abort(403)
    status = 200
    if form.validate_on_submit():
        ratings = {
            s.key: int(form[rating_field_name(s)].data) if form[rating_field_name(s)].data else None
            for s in subjects
        }
        try:
            services.save_response(
                meeting,
                current_user,
                usefulness=int(form.usefulness.data),
                relevance=int(form.relevance.data),
                ratings=ratings,
                keep=form.keep.data or "",
                change=form.change.data or "",
                add=form.add.data or "",
                anonymous=form.anonymous.data,
            )
        except services.FeedbackRuleError as problem:
            db.session.rollback()
            form.usefulness.errors.append(str(problem))
        else:
            db.session.commit()
            flash(
                "Thank you: your feedback is saved. You can change it until "
                f"{to_local(services.closes_at(meeting)):%-d %B %Y}."
                if response is None
                else "Your feedback is updated.",
                "success",
            )
            return redirect(url_for("org.meetings.show", meeting_id=meeting.id))
    elif request.method == "POST":
        status = 400
    return render_template(
        "feedback/give.html",
        meeting=meeting,
        form=form,
        subjects=subjects,
        field_name=rating_field_name,
        response=response,
        open_now=open_now,
        closes_at=services.closes_at(meeting),
    ), status


@bp.get("/meetings/<int:meeting_id>/feedback/results")
def results(meeting_id: int):
    """A meeting's feedback for its organisers: numbers, charts and comments, never who answered anonymously."""
    meeting, _ = load_meeting(meeting_id, "organise")
    if meeting.status != "held":
        abort(404)
    found = queries.meeting_results(meeting)

    scores = ["1", "2", "3", "4", "5"]
    distribution = bar_chart(
        id="chart-scores",
        title="How useful and how relevant",
        categories=scores,
        series=[
            Series("Usefulness", found.distribution("usefulness")),
            Series("Relevance", found.distribution("relevance")),
        ],
        unit="responses",
        category_label="Score",
        description="How many attendees gave each score from 1 (not at all) to 5 (very).",
    )
    sessions = bar_chart(
        id="chart-sessions",
        title="Ratings of agenda items and speakers",
        categories=[s.subject.label for s in found.subjects if s.count],
        series=[Series("Mean rating", [s.mean for s in found.subjects if s.count])],
        unit="out of 5",
        max_value=5,
        category_label="Item or session",
        description="The mean rating (1 to 5) of each agenda item and speaker session that attendees rated.",
    )
    return render_template(
        "feedback/results.html",
        meeting=meeting,
        results=found,
        distribution=distribution,
        sessions=sessions,
        panels=RESULTS_PANELS.load(meeting),
    )


@bp.get("/networks/<int:network_id>/insights")
def insights_page(network_id: int):
    """The network's charts: attendance, feedback and actions over the last 12 months."""
    network, access = load_network(network_id)
    charts = insights.network_charts(network, show_schools=access.can_organise)
    now = utcnow()
    return render_template(
        "feedback/insights.html",
        network=network,
        access=access,
        charts=charts,
        panels=INSIGHTS_PANELS.load(network, now - insights.YEAR, now),
    )


def _period() -> tuple[PeriodForm, date, date]:
    form = PeriodForm(request.args)
    start, end = reports.academic_year(local_date(utcnow()))
    if request.args and form.validate():
        start, end = form.start.data or start, form.end.data or end
    return form, start, end


@bp.get("/networks/<int:network_id>/reports")
def reports_page(network_id: int):
    network, _ = load_network(network_id, "organise")
    form, start, end = _period()
    if not request.args:
        form.start.data, form.end.data = start, end
    return render_template(
        "feedback/reports.html",
        network=network,
        form=form,
        start=start,
        end=end,
        reports={kind: report.label for kind, report in reports.REPORTS.entries().items()},
    )


@bp.get("/networks/<int:network_id>/reports/<kind>.csv")
def report_csv(network_id: int, kind: str):
    network, _ = load_network(network_id, "organise")
    if kind not in reports.REPORTS.entries():
        abort(404)
    form, start, end = _period()
    if form.errors:
        abort(400)
    rows = reports.REPORTS.entries()[kind].rows(network, start, end, local_date(utcnow()))
    return Response(
        reports.to_csv(rows),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{kind}-network-{network.id}-{start}-to-{end}.csv"',
            "Cache-Control": "private, no-store",
        },
    )


def feedback_for_meeting(meeting, access) -> dict:
    """What the meeting page shows about feedback: for an attendee, a link to give it (and whether
    they have); for organisers, a link to the results. One or two queries, only for held meetings."""
    if meeting.status != "held":
        return {"show": False}
    attendee = services.is_attendee(meeting, current_user)
    answered = attendee and services.response_of(meeting, current_user) is not None
    return {
        "show": True,
        "attendee": attendee,
        "answered": answered,
        "open": services.is_open(meeting),
        "closes_at": services.closes_at(meeting),
        "can_organise": access.can_organise,
    }
