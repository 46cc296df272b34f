"""The register of a held meeting, and a network's attendance report."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from cluster.extensions import db
from cluster.meetings import reports, services
from cluster.meetings.access import load_meeting
from cluster.meetings.services import MeetingRuleError
from cluster.meetings.views import bp
from cluster.networks.access import load_network


@bp.route("/meetings/<int:meeting_id>/register", methods=["GET", "POST"])
def register(meeting_id: int):
    """Record which schools came. "Mark all who said yes" ticks the schools whose SENCO replied yes."""
    meeting, _ = load_meeting(meeting_id, "organise")
    schools = services.member_schools(meeting.network)
    present = services.attended_school_ids(meeting)
    error = None
    if request.method == "POST":
        if "from_replies" in request.form:
            present = services.schools_that_said_yes(meeting) | present
        else:
            chosen = {
                int(v)
                for v in request.form.getlist("school_id")
                if v.isascii() and v.isdigit() and len(v) < 10
            }
            try:
                services.record_attendance(meeting, chosen, current_user)
            except MeetingRuleError as problem:
                error = str(problem)
            else:
                db.session.commit()
                flash(f"Register saved: {len(chosen)} of {len(schools)} schools attended.", "success")
                return redirect(url_for(".show", meeting_id=meeting.id))
    return render_template(
        "meetings/register.html", meeting=meeting, schools=schools, present=present, error=error
    )


@bp.get("/networks/<int:network_id>/attendance")
def report(network_id: int):
    network, _ = load_network(network_id, "organise")
    held, rows = reports.attendance_report(network)
    return render_template("meetings/attendance.html", network=network, held=held, rows=rows)


@bp.get("/networks/<int:network_id>/attendance.csv")
def report_csv(network_id: int):
    network, _ = load_network(network_id, "organise")
    held, rows = reports.attendance_report(network)
    return Response(
        reports.attendance_csv(rows, held),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="attendance-network-{network.id}.csv"'},
    )
