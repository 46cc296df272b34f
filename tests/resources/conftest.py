"""Uploads go to a folder of the test run, never ``instance/uploads``."""

import pytest


@pytest.fixture(autouse=True)
def uploads(app, tmp_path):
    previous = app.config.get("CLUSTER_UPLOADS")
    app.config["CLUSTER_UPLOADS"] = str(tmp_path / "uploads")
    yield tmp_path / "uploads"
    app.config["CLUSTER_UPLOADS"] = previous
