"""Networks: clusters of schools with their organisers, observers and member SENCOs."""

from __future__ import annotations

from flask import Blueprint, Flask

from cluster.auth.signals import invitation_accepted
from cluster.networks import services, views
from cluster.schools.views import SCHOOL_PANELS


def register(app: Flask, pages: Blueprint) -> None:
    """The networks pages, a school's networks on its page; an accepted invitation to a network
    gives its role."""
    pages.register_blueprint(views.bp)
    SCHOOL_PANELS.add_panel(app, "networks", "networks/_school_networks.html", services.networks_of_school)
    invitation_accepted.connect(services.appoint_invited)
