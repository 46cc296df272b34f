"""The resource library: share, find (including text inside PDF and DOCX), versions, review,
safe download, deletion, and the organisation boundary."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import sqlalchemy as sa

from cluster.extensions import db
from cluster.resources.models import Resource, ResourceDeletion, ResourceVersion
from tests.resources.documents import docx_with_text, pdf_with_text, png


def _world(make):
    org = make.organisation(slug="north")
    school = make.school(org)
    member = make.user(org, email="senco@north.example", school=school)
    organiser = make.user(org, email="organiser@north.example")
    outsider = make.user(org, email="outsider@north.example")
    network = make.network(org, schools=[school], organisers=[organiser])
    return org, network, member, organiser, outsider


def _upload(client, network, name, data, **fields):
    form = {
        "network_id": str(network.id),
        "title": "Sensory circuits",
        "description": "**Daily** routine",
        "area_of_need": "sensory",
        "phase": "primary",
        "tags": "Sensory, OT",
        "visibility": "network",
        "file": (BytesIO(data), name),
    }
    form.update(fields)
    return client.post("/o/north/resources/new", data=form, content_type="multipart/form-data")


def test_upload_pdf_and_find_it_by_the_text_inside(make, login):
    _, network, member, _, _ = _world(make)
    client = login(member)
    response = _upload(
        client, network, "circuits.pdf", pdf_with_text("Proprioceptive activities before lessons")
    )
    assert response.status_code == 302
    resource = db.session.scalar(sa.select(Resource))
    assert resource.kind == "pdf" and resource.tags == "sensory,ot"
    assert resource.review_on == date.today() + timedelta(days=365)
    page = client.get("/o/north/resources?q=proprioceptive")
    assert "Sensory circuits" in page.text and "1 resource" in page.text
    assert "Sensory circuits" not in client.get("/o/north/resources?q=proprioceptive+zebra").text


def test_docx_text_is_searchable_and_title_hits_rank_first(make, login):
    _, network, member, _, _ = _world(make)
    make.resource(
        network,
        member,
        title="Handwriting guide",
        file_name="guide.docx",
        data=docx_with_text("Zones of regulation in the classroom"),
    )
    make.resource(network, member, title="Zones of regulation poster", data=b"poster text")
    client = login(member)
    page = client.get("/o/north/resources?q=zones+regulation").text
    assert page.index("Zones of regulation poster") < page.index("Handwriting guide")


def test_filters_and_sorts(make, login):
    _, network, member, _, _ = _world(make)
    make.resource(
        network,
        member,
        title="Speech link",
        data=None,
        url="https://example.org",
        area_of_need="communication",
    )
    popular = make.resource(
        network, member, title="Maths fluency", data=b"maths", area_of_need="cognition", phase="secondary"
    )
    popular.download_count = 9
    db.session.commit()
    client = login(member)
    page = client.get("/o/north/resources?area=communication").text
    assert "Speech link" in page and "Maths fluency" not in page
    page = client.get("/o/north/resources?kind=link").text
    assert "Speech link" in page and "Maths fluency" not in page
    page = client.get("/o/north/resources?phase=secondary").text
    assert "Maths fluency" in page and "Speech link" not in page
    page = client.get("/o/north/resources?sort=downloads").text
    assert page.index("Maths fluency") < page.index("Speech link")
    assert "Maths fluency" not in client.get("/o/north/resources?since=2999-01-01").text
    assert client.get("/o/north/resources?since=nonsense&page=-3&network=x").status_code == 200


def test_bad_uploads_get_clear_messages(make, login):
    _, network, member, _, _ = _world(make)
    client = login(member)
    assert "The selected file is empty" in _upload(client, network, "a.pdf", b"").text
    assert "content is not a PDF" in _upload(client, network, "a.pdf", b"<script>alert(1)</script>").text
    assert "must be a PDF, an Office document" in _upload(client, network, "run.exe", b"MZ\x90\x00").text
    make.resource(network, member, title="Original", file_name="x.png", data=png())
    assert "already been shared as" in _upload(client, network, "copy.png", png()).text
    client.application.config["CLUSTER_UPLOAD_MAX_BYTES"] = 10
    try:
        assert "must be smaller than" in _upload(client, network, "a.txt", b"more than ten bytes").text
    finally:
        client.application.config.pop("CLUSTER_UPLOAD_MAX_BYTES")
    assert db.session.scalar(sa.select(sa.func.count(Resource.id))) == 1


def test_stored_by_hash_never_by_name(make, login, uploads):
    _, network, member, _, _ = _world(make)
    client = login(member)
    _upload(client, network, "../../../etc/passwd.txt", b"harmless text")
    version = db.session.scalar(sa.select(ResourceVersion))
    assert version.file_name == "passwd.txt"
    stored = [p for p in uploads.rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [version.content_hash]


def test_download_is_safe_and_counted(make, login):
    _, network, member, _, _ = _world(make)
    resource = make.resource(network, member, title="Plan", file_name="plan.pdf", data=pdf_with_text("plan"))
    client = login(member)
    response = client.get(f"/o/north/resources/{resource.id}/download")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    inline = client.get(f"/o/north/resources/{resource.id}/download?inline=1")
    assert inline.headers["Content-Disposition"].startswith("inline")
    assert inline.headers["Content-Type"] == "application/pdf"
    db.session.refresh(resource)
    assert resource.download_count == 2


def test_text_files_are_never_inline(make, login):
    _, network, member, _, _ = _world(make)
    resource = make.resource(network, member, file_name="page.txt", data=b"<html><script>alert(1)</script>")
    response = login(member).get(f"/o/north/resources/{resource.id}/download?inline=1")
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_versions_keep_old_files_and_follow_the_new_text(make, login):
    _, network, member, _, _ = _world(make)
    resource = make.resource(
        network, member, title="Policy", file_name="policy.txt", data=b"first draft wording"
    )
    client = login(member)
    response = client.post(
        f"/o/north/resources/{resource.id}/versions/new",
        data={"file": (BytesIO(docx_with_text("final approved wording")), "policy.docx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert client.get(f"/o/north/resources/{resource.id}/download?version=1").data == b"first draft wording"
    assert client.get(f"/o/north/resources/{resource.id}/download").data.startswith(b"PK")
    assert "Policy" in client.get("/o/north/resources?q=approved").text
    assert "Policy" not in client.get("/o/north/resources?q=draft").text


def test_out_of_date_marked_and_review_resets(make, login):
    _, network, member, _, _ = _world(make)
    resource = make.resource(network, member, title="Old guidance")
    resource.review_on = date.today() - timedelta(days=1)
    db.session.commit()
    client = login(member)
    assert "Out of date" in client.get("/o/north/resources").text
    client.post(f"/o/north/resources/{resource.id}/reviewed")
    db.session.refresh(resource)
    assert resource.review_on == date.today() + timedelta(days=365)


def test_who_may_see_manage_and_recommend(make, login):
    org, network, member, organiser, outsider = _world(make)
    private = make.resource(network, member, title="Network only")
    shared = make.resource(network, member, title="For everyone", data=b"other", visibility="organisation")
    client = login(outsider)
    assert client.get(f"/o/north/resources/{private.id}").status_code == 404
    assert client.get(f"/o/north/resources/{private.id}/download").status_code == 404
    assert client.get(f"/o/north/resources/{shared.id}/download").status_code == 200
    listing = client.get("/o/north/resources").text
    assert "For everyone" in listing and "Network only" not in listing
    assert client.post(f"/o/north/resources/{shared.id}/delete").status_code == 403
    assert login(member).post(f"/o/north/resources/{shared.id}/recommend").status_code == 403
    assert login(organiser).post(f"/o/north/resources/{shared.id}/recommend").status_code == 302
    db.session.refresh(shared)
    assert shared.recommended


def test_delete_is_recorded_and_removes_unused_files(make, login, uploads):
    org, network, member, organiser, _ = _world(make)
    resource = make.resource(network, member, title="Gone soon", data=b"to be removed")
    version = db.session.scalar(sa.select(ResourceVersion))
    path = uploads / version.content_hash[:2] / version.content_hash
    assert path.is_file()
    assert login(organiser).post(f"/o/north/resources/{resource.id}/delete").status_code == 302
    assert not path.exists()
    record = db.session.scalar(sa.select(ResourceDeletion))
    assert record.title == "Gone soon" and record.deleted_by_id == organiser.id


def test_another_organisation_gets_404(make, login):
    _, network, member, _, _ = _world(make)
    resource = make.resource(network, member, visibility="organisation")
    other = make.organisation(slug="south")
    stranger = make.user(other, email="x@south.example")
    client = login(stranger)
    assert client.get(f"/o/south/resources/{resource.id}").status_code == 404
    assert client.get(f"/o/south/resources/{resource.id}/download").status_code == 404
    assert (
        "Resource"
        not in client.get("/o/south/resources?q=resource").text.split("<main")[1].split("Share a resource")[1]
    )


def _meeting_and_item(make, network, member):
    meeting = make.meeting(network, status="scheduled", title="Spring network meeting")
    from cluster.agenda.models import AgendaItem

    item = AgendaItem(
        organisation_id=network.organisation_id,
        network_id=network.id,
        title="Sensory diets",
        kind="discussion",
        proposed_by_id=member.id,
    )
    db.session.add(item)
    db.session.commit()
    return meeting, item


def test_a_resource_linked_to_a_meeting_and_an_agenda_item_shows_on_both_pages(make, login):
    _, network, member, organiser, _ = _world(make)
    meeting, item = _meeting_and_item(make, network, member)
    client = login(member)
    form_page = client.get(f"/o/north/resources/new?meeting={meeting.id}").get_data(as_text=True)
    assert f'<option value="{meeting.id}" selected>' in form_page  # shared from the meeting's page
    response = _upload(
        client,
        network,
        "slides.pdf",
        pdf_with_text("Sensory diet slides"),
        meeting_id=str(meeting.id),
        agenda_item_id=str(item.id),
    )
    assert response.status_code == 302
    resource = db.session.scalar(sa.select(Resource))
    assert (resource.meeting_id, resource.agenda_item_id) == (meeting.id, item.id)
    meeting_page = client.get(f"/o/north/meetings/{meeting.id}").get_data(as_text=True)
    item_page = client.get(f"/o/north/networks/{network.id}/agenda-items/{item.id}").get_data(as_text=True)
    resource_page = client.get(f"/o/north/resources/{resource.id}").get_data(as_text=True)
    for page in (meeting_page, item_page):
        assert f'href="/o/north/resources/{resource.id}"' in page and "Sensory circuits" in page
    assert "Spring network meeting" in resource_page and "Sensory diets" in resource_page


def test_a_meeting_of_another_network_cannot_be_linked_and_nothing_typed_is_lost(make, login):
    org, network, member, organiser, _ = _world(make)
    other = make.network(
        org, schools=[make.school(org, name="Elsewhere")], organisers=[organiser], name="Other network"
    )
    foreign_meeting = make.meeting(other, status="scheduled", title="Someone else's meeting")
    client = login(organiser)
    response = _upload(
        client,
        network,
        "slides.pdf",
        pdf_with_text("Slides"),
        title="Keep this title",
        meeting_id=str(foreign_meeting.id),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Choose a meeting of the network sharing it" in page
    assert 'value="Keep this title"' in page
    assert db.session.scalar(sa.select(sa.func.count(Resource.id))) == 0
    response = _upload(client, network, "slides.pdf", pdf_with_text("Slides"), meeting_id="999999999999")
    assert response.status_code == 200 and "Choose a meeting of the network sharing it" in response.get_data(
        as_text=True
    )


def test_the_owner_edits_the_details_and_search_follows_without_losing_the_file_text(make, login):
    _, network, member, _, _ = _world(make)
    client = login(member)
    _upload(client, network, "circuits.pdf", pdf_with_text("Proprioceptive activities before lessons"))
    resource = db.session.scalar(sa.select(Resource))
    response = client.post(
        f"/o/north/resources/{resource.id}/edit",
        data={
            "title": "Morning sensory circuits",
            "description": "Updated",
            "area_of_need": "sensory",
            "phase": "primary",
            "tags": "regulation",
            "visibility": "organisation",
            "meeting_id": "",
            "agenda_item_id": "",
        },
    )
    assert response.status_code == 302
    db.session.refresh(resource)
    assert (resource.title, resource.tags, resource.visibility) == (
        "Morning sensory circuits",
        "regulation",
        "organisation",
    )
    found = client.get("/o/north/resources?q=proprioceptive").get_data(as_text=True)
    assert "Morning sensory circuits" in found
    assert "Morning sensory circuits" in client.get("/o/north/resources?q=regulation").get_data(as_text=True)
    assert "Morning sensory circuits" not in client.get("/o/north/resources?q=ot").get_data(as_text=True)
    response = client.post(
        f"/o/north/resources/{resource.id}/edit",
        data={"title": "", "area_of_need": "sensory", "phase": "primary", "visibility": "network"},
    )
    assert response.status_code == 200 and "Enter a title" in response.get_data(as_text=True)


def test_your_resources_lists_reviews_due_first(make, login):
    _, network, member, _, _ = _world(make)
    current = make.resource(network, member, title="Current one", data=b"current text")
    overdue = make.resource(network, member, title="Overdue one", data=b"overdue text")
    overdue.review_on = date.today() - timedelta(days=3)
    db.session.commit()
    page = login(member).get("/o/north/resources/mine").get_data(as_text=True)
    assert page.index("Overdue one") < page.index("Current one") and page.count("Review due") == 1
    assert current.title in page


def test_organisers_see_who_deleted_what_and_members_may_not(make, login):
    _, network, member, organiser, _ = _world(make)
    resource = make.resource(network, member, title="Old leaflet", data=b"old leaflet text")
    client = login(member)
    client.post(f"/o/north/resources/{resource.id}/delete")
    assert client.get("/o/north/resources/deletions").status_code == 403
    page = login(organiser).get("/o/north/resources/deletions").get_data(as_text=True)
    assert "Old leaflet" in page and member.name in page and network.name in page


def test_search_matches_the_start_of_words_and_ignores_punctuation(make, login):
    _, network, member, _, _ = _world(make)
    make.resource(network, member, title="Provision mapping guide", data=b"EHC-needs assessment requests")
    client = login(member)
    for query in ("provision map", "mapping", "ehc needs", "EHC-needs!", "assess"):
        assert "Provision mapping guide" in client.get(
            "/o/north/resources", query_string={"q": query}
        ).get_data(as_text=True), query
    for query in ("apping", "zebra"):
        assert "Provision mapping guide" not in client.get(
            "/o/north/resources", query_string={"q": query}
        ).get_data(as_text=True), query
