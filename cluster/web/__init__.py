"""Wire the web layer: templates, login, blueprints, errors, headers, CLI."""
from __future__ import annotations

from flask import Flask, g
from flask_login import current_user
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from sqlalchemy.orm import joinedload

from cluster.extensions import db, login_manager
from cluster.web.errors import init_errors
from cluster.web.filters import init_filters
from cluster.web.security import init_security


def register(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(app.template_folder),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
    init_filters(app)
    init_security(app)
    init_errors(app)
    _init_login(app)

    from cluster.actions.views import bp as actions_bp
    from cluster.agenda.views import bp as agenda_bp
    from cluster.auth.views import bp as auth_bp
    from cluster.calendar.views import bp as calendar_bp
    from cluster.digests.views import bp as digests_bp, org_bp as digest_admin_bp
    from cluster.feedback.views import bp as feedback_bp
    from cluster.feeds.views import bp as feeds_bp
    from cluster.meetings.attendance_views import bp as attendance_bp
    from cluster.meetings.programme import bp as programme_bp
    from cluster.meetings.views import bp as meetings_bp
    from cluster.polls.views import bp as polls_bp
    from cluster.networks.views import bp as networks_bp
    from cluster.people.views import bp as people_bp
    from cluster.resources.views import bp as resources_bp
    from cluster.moderation.views import bp as moderation_bp
    from cluster.speakers.views import answer_bp as speaker_answer_bp, bp as speakers_bp
    from cluster.schools.views import bp as schools_bp
    from cluster.tenancy.context import add_organisation_slug, organisation_blueprint
    from cluster.tenancy.views import bp as tenancy_bp, platform_bp
    from cluster.web.views import bp as main_bp

    app.register_blueprint(organisation_blueprint(
        [tenancy_bp, schools_bp, networks_bp, people_bp, calendar_bp, meetings_bp, attendance_bp, programme_bp, polls_bp,
         agenda_bp, digest_admin_bp, resources_bp, moderation_bp, speakers_bp, feedback_bp, actions_bp]
    ))
    app.register_blueprint(platform_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(digests_bp)
    app.register_blueprint(main_bp)
    app.register_blueprint(speaker_answer_bp)
    app.url_defaults(add_organisation_slug)
    app.context_processor(_layout_context)

    from cluster.cli import register_cli

    register_cli(app)

    from cluster.jobs.scheduler import start_in_process_if_asked

    start_in_process_if_asked(app)  # only under `flask run` with CLUSTER_RUN_SCHEDULER=1 (make run)


def _init_login(app: Flask) -> None:
    from cluster.auth.models import User

    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str):
        """The signed-in user with their memberships (organisation and school): every page's
        layout and every organisation's page needs them, so one statement reads all three."""
        from cluster.tenancy.models import Membership

        try:
            return db.session.get(User, int(user_id), options=[
                joinedload(User.memberships).joinedload(Membership.school),
            ])
        except (TypeError, ValueError):
            return None


def compile_templates(app: Flask) -> int:
    """Compile every template now rather than on its first page (gunicorn calls this when a
    worker starts: a page's first showing in a new worker cost it up to a second of compiling).
    Returns how many."""
    names = app.jinja_env.list_templates()
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)


def _layout_context() -> dict:
    """What the layout needs on every page: where you are and where else you can go."""
    return {
        "my_memberships": _my_memberships(),
        "organisation": g.get("organisation"),
        "membership": g.get("membership"),
    }


def _my_memberships() -> list:
    """The signed-in user's organisations, read once per request (templates render many times:
    every form widget is a template of its own)."""
    if not current_user.is_authenticated:
        return []
    if "my_memberships" not in g:
        g.my_memberships = sorted(current_user.memberships, key=lambda m: m.organisation.name)
    return g.my_memberships

