"""cluster: a platform for SENCO networks."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from cluster import config as settings
from cluster.extensions import csrf, db, include_in_migrations, login_manager, migrate
from cluster.web import register

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints, CLI."""
    instance_path = os.environ.get("CLUSTER_INSTANCE_PATH", str(ROOT / "instance"))
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(settings.defaults(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(settings.from_environment(list(app.config)))
    if test_config:
        app.config.update(test_config)
    settings.finalise(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(ROOT / "migrations"),
        compare_type=True,
        render_as_batch=True,
        include_object=include_in_migrations,
    )
    csrf.init_app(app)
    login_manager.init_app(app)

    # The domains' models join the metadata (and Alembic's view of it) as the domains register.
    register(app)
    if app.config["CLUSTER_PROXY_FIX"]:
        # Behind N reverse proxies: the client's address (sign-in throttling, logs), scheme and host
        # (links, secure cookies) come from their X-Forwarded-* headers, trusting exactly N hops.
        hops = app.config["CLUSTER_PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    return app
