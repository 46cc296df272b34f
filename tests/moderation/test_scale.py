"""The org admin keeps the organisation's scale and retention setting."""

from __future__ import annotations

import sqlalchemy as sa

from cluster.extensions import db
from cluster.moderation.models import ScaleLevel
from cluster.moderation.scale import levels_of, scale_of
from tests.moderation.conftest import url


def test_admin_adds_renames_reorders_and_deletes_levels(login, place):
    client = login(place.admin)
    assert "Request EHC needs assessment" in client.get(url("org.moderation.scale")).get_data(as_text=True)
    assert (
        client.post(
            url("org.moderation.add_level"),
            data={"level-label": "Exceptional", "level-descriptor": "**Top-up**"},
        ).status_code
        == 302
    )
    labels = [level.label for level in levels_of(place.org.id)]
    assert labels[-1] == "Exceptional"
    new = levels_of(place.org.id)[-1]
    client.post(url("org.moderation.move_level", level_id=new.id), data={"direction": "up"})
    db.session.expire_all()
    assert [level.label for level in levels_of(place.org.id)] == [
        "Not yet",
        "SEN support",
        "Exceptional",
        "Request EHC needs assessment",
    ]
    assert [level.position for level in levels_of(place.org.id)] == [0, 1, 2, 3]
    client.post(
        url("org.moderation.edit_level", level_id=new.id),
        data={"level-label": "Exceptional needs", "level-descriptor": ""},
    )
    db.session.expire_all()
    assert db.session.get(ScaleLevel, new.id).label == "Exceptional needs"
    client.post(url("org.moderation.delete_level", level_id=new.id))
    db.session.expire_all()
    assert [level.label for level in levels_of(place.org.id)] == [
        "Not yet",
        "SEN support",
        "Request EHC needs assessment",
    ]
    assert [level.position for level in levels_of(place.org.id)] == [0, 1, 2]


def test_a_level_in_use_cannot_be_deleted(login, place, make):
    make.moderation_case(place.network, place.submitter, school=place.school, proposed=2)
    used = levels_of(place.org.id)[2]
    response = login(place.admin).post(
        url("org.moderation.delete_level", level_id=used.id), follow_redirects=True
    )
    assert "cannot be deleted" in response.get_data(as_text=True)
    assert db.session.get(ScaleLevel, used.id) is not None


def test_retention_setting_is_checked(login, place):
    client = login(place.admin)
    response = client.post(
        url("org.moderation.scale"), data={"name": "Ranges", "description": "", "retention_months": "0"}
    )
    assert response.status_code == 200 and "govuk-error-summary" in response.get_data(as_text=True)
    assert (
        client.post(
            url("org.moderation.scale"),
            data={"name": "Ranges 1-7", "description": "", "retention_months": "24"},
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert scale_of(place.org.id).retention_months == 24 and scale_of(place.org.id).name == "Ranges 1-7"


def test_only_admins_keep_the_scale(login, place):
    for who in (place.organiser, place.submitter, place.observer):
        assert login(who).get(url("org.moderation.scale")).status_code == 403
    level = levels_of(place.org.id)[0]
    assert (
        login(place.organiser).post(url("org.moderation.delete_level", level_id=level.id)).status_code == 403
    )
    assert db.session.scalar(sa.select(sa.func.count(ScaleLevel.id))) == 3
