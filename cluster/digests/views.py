"""Pages of the digest: your preferences, a preview of your digest now, the unsubscribe link, and
(for org admins) the emails that could not be sent."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from cluster.auth.models import User
from cluster.digests import services
from cluster.digests.forms import DigestPreferenceForm
from cluster.extensions import csrf, db, utcnow
from cluster.mail.outbox import MAX_ATTEMPTS
from cluster.tenancy.access import org_admin_required
from cluster.timeutil import zone_of
from cluster.ui.panels import Panels

bp = Blueprint("digests", __name__)
#: Pages inside an organisation (``/o/<slug>/...``).
org_bp = Blueprint("deliveries", __name__)

#: Other email that could not be sent, shown to org admins below the digests (meeting reminders),
#: called with the organisation.
UNDELIVERED_PANELS = Panels("undelivered mail panels")


@bp.route("/account/digest", methods=["GET", "POST"])
@login_required
def preferences():
    preference = services.preference_of(current_user.id)
    saved = {
        "frequency": preference.frequency,
        "weekday": str(preference.weekday),
        "hour": str(preference.hour),
        "pause_in_holidays": preference.pause_in_holidays,
    }
    form = DigestPreferenceForm(data=saved if request.method == "GET" else None)
    if form.validate_on_submit():
        services.save_preference(
            current_user.id,
            frequency=form.frequency.data,
            weekday=int(form.weekday.data),
            hour=int(form.hour.data),
            pause_in_holidays=form.pause_in_holidays.data,
        )
        db.session.commit()
        off = form.frequency.data == "off"
        flash("Your digest is turned off." if off else "Your digest preferences are saved.", "success")
        return redirect(url_for(".preferences"))
    zone = zone_of(current_user.time_zone)
    return render_template(
        "digests/preferences.html",
        form=form,
        preference=preference,
        zone_name=zone.key,
        next_at=services.next_digest_at(preference, current_user.time_zone),
        schedule=services.schedule_in_words(preference.frequency, preference.weekday, preference.hour),
        administered=services.administered(current_user),
    )


@bp.get("/account/digest/preview")
@login_required
def preview():
    digest = services.preview(current_user)
    return render_template("digests/preview.html", digest=digest, zone_name=digest.reader.zone.key)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail providers POST here without a session or a CSRF token
def unsubscribe(token: str):
    """GET shows a button (link scanners follow links, and must not unsubscribe anyone); POST,
    from that button or from a mail provider's one-click unsubscribe, turns the digest off and
    answers 200. The token is the key: a wrong one is 404."""
    user_id = services.user_id_for_token(token)
    person = db.session.get(User, user_id) if user_id is not None else None
    if person is None:
        abort(404)
    if request.method == "POST":
        services.unsubscribe(person.id, utcnow())
        db.session.commit()
        return render_template("digests/unsubscribed.html")
    off = services.preference_of(person.id).frequency == "off"
    return render_template("digests/unsubscribe.html", masked=_masked(person.email), off=off)


def _masked(email: str) -> str:
    """ "a•••@school.example": enough for the owner to recognise, little for anyone else."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


@org_bp.get("/digests/undelivered")
@org_admin_required
def undelivered():
    return render_template(
        "digests/undelivered.html",
        digests=services.undelivered(g.organisation),
        panels=UNDELIVERED_PANELS.load(g.organisation),
        max_attempts=MAX_ATTEMPTS,
    )
