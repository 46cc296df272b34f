"""Every template compiles (gunicorn compiles them all when a worker starts, before its first page)."""

from __future__ import annotations

from cluster.web import compile_templates


def test_every_template_compiles_at_start(app):
    count = compile_templates(app)
    assert count == len(app.jinja_env.list_templates()) > 100
    assert len(app.jinja_env.cache) >= count, "the cache holds them all: no page compiles one again"
