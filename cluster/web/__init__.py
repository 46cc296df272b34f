"""The composition root: the app's templates, login, errors and headers, then every domain in
order, the home and platform pages, and the command line."""

from __future__ import annotations

from flask import Flask, g
from flask_login import current_user
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from sqlalchemy.orm import joinedload

from cluster import (
    actions,
    agenda,
    auth,
    calendar,
    digests,
    feedback,
    feeds,
    jobs,
    meetings,
    moderation,
    networks,
    people,
    polls,
    resources,
    schools,
    speakers,
)
from cluster.auth.models import User
from cluster.extensions import db, login_manager
from cluster.jobs.scheduler import start_in_process_if_asked
from cluster.tenancy.context import add_organisation_slug, organisation_blueprint
from cluster.tenancy.models import Membership
from cluster.ui.filters import init_filters
from cluster.web import cli, home, platform, views
from cluster.web.errors import init_errors
from cluster.web.security import init_security

#: The domains, lowest first: each may import those before it, never those after it (the layers
#: contract in pyproject.toml checks it; docs/architecture.md draws it). Each plugs itself in
#: with its ``register(app, pages)``.
DOMAINS = (
    auth,
    schools,
    people,
    networks,
    calendar,
    digests,
    feeds,
    meetings,
    polls,
    agenda,
    resources,
    moderation,
    speakers,
    feedback,
    actions,
)


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
    jobs.init_app(app)

    # Every organisation's pages live under /o/<slug>/: the domains add theirs to this parent.
    pages = organisation_blueprint()
    for domain in DOMAINS:
        domain.register(app, pages)
    pages.register_blueprint(home.bp)
    app.register_blueprint(pages)
    app.register_blueprint(platform.bp)
    app.register_blueprint(views.bp)
    app.url_defaults(add_organisation_slug)
    app.context_processor(_layout_context)
    cli.init_app(app)
    start_in_process_if_asked(app)  # only under `flask run` with CLUSTER_RUN_SCHEDULER=1 (make run)


def _init_login(app: Flask) -> None:
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str):
        """The signed-in user with their memberships (organisation and school): every page's
        layout and every organisation's page needs them, so one statement reads all three."""
        try:
            return db.session.get(
                User,
                int(user_id),
                options=[
                    joinedload(User.memberships).joinedload(Membership.school),
                ],
            )
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
