"""The personal calendar feed: the user's page about it, and the feed URL itself."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from cluster.extensions import db
from cluster.feeds import subscriptions
from cluster.feeds.forms import FeedOptionsForm
from cluster.feeds.rendering import rendered_feed
from cluster.feeds.state import feed_connection, feed_state
from cluster.mail import absolute_url

bp = Blueprint("feeds", __name__)

CALENDAR_TYPE = "text/calendar; charset=utf-8"


@bp.get("/account/calendar")
@login_required
def page():
    subscription = subscriptions.existing_subscription(current_user)
    if subscription is None:  # a GET never writes: the address is made by the button
        return render_template("feeds/page.html", subscription=None, form=None)
    https_url = absolute_url(url_for(".feed", token=subscriptions.feed_token(subscription)))
    webcal_url = "webcal://" + https_url.split("://", 1)[1]
    form = FeedOptionsForm(obj=subscription)
    return render_template(
        "feeds/page.html",
        subscription=subscription,
        https_url=https_url,
        webcal_url=webcal_url,
        google_url="https://calendar.google.com/calendar/r?cid=" + quote(webcal_url, safe=""),
        form=form,
    )


@bp.post("/account/calendar/options")
@login_required
def options():
    subscription = subscriptions.subscription_for(current_user)
    form = FeedOptionsForm()
    if form.validate_on_submit():
        subscription.include_polls = form.include_polls.data
        subscription.include_actions = form.include_actions.data
        db.session.commit()
        flash(
            "Saved. Calendar apps pick up the change the next time they refresh (usually within a few hours).",
            "success",
        )
    return redirect(url_for(".page"))


@bp.post("/account/calendar/reset")
@login_required
def reset():
    """Make the feed's address, or replace it (the old one stops working at once)."""
    existing = subscriptions.existing_subscription(current_user)
    if existing is None:
        subscriptions.subscription_for(current_user)
        message = "Your calendar feed is ready. Subscribe to it with the address below."
    else:
        subscriptions.reset(existing)
        message = (
            "Your feed has a new address. The old one has stopped working: subscribe again with the new one."
        )
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".page"))


@bp.get("/feeds/<token>.ics")
def feed(token: str):
    """The feed itself: no session needed, the token is the key. Wrong or reset tokens are 404.

    A calendar client's usual question, "has it changed?", is answered from one indexed query
    (the ETag is made from the versions of the reader's networks); only a changed feed is built.
    """
    with feed_connection() as connection:
        state = feed_state(connection, token)
        if state is None:
            abort(404)
        if request.if_none_match.contains(state.etag):
            response = Response(status=304)
        else:
            built = rendered_feed(connection, state)
            response = Response(built.body, content_type=CALENDAR_TYPE)
            response.last_modified = built.last_modified
            response.headers["Content-Disposition"] = 'inline; filename="cluster.ics"'
    response.set_etag(state.etag)
    response.headers["Cache-Control"] = "private, max-age=0, must-revalidate"
    return response
