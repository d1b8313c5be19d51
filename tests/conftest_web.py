"""Shared set-up of the tests of dossier serve: an app on a copy of a sample case."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from dossier.web import create_app

ROOT = Path(__file__).resolve().parent.parent
SECRET = "test-secret-not-random"
HOST = "127.0.0.1:8765"
ORIGIN = f"http://{HOST}"


def make_client(folder: Path, cache: Path, **options) -> TestClient:
    """A client of the page on ``folder``, already holding the session cookie."""
    app = create_app(folder, SECRET, {HOST, "localhost:8765"}, cache=cache, **options)
    client = TestClient(app, base_url=ORIGIN, follow_redirects=False)
    response = client.get(f"/?token={SECRET}")
    assert response.status_code == 303
    return client


def copy_sample(name: str, target: Path) -> Path:
    """The sample's evidence and case file, without a dossier built in the checkout earlier."""
    folder = target / name
    built = shutil.ignore_patterns("dossier.pdf", "*.manifest.json", "page-*.png")
    shutil.copytree(ROOT / "samples" / name, folder, ignore=built)
    return folder


@pytest.fixture
def case_folder(tmp_path: Path) -> Path:
    return copy_sample("damaged-parcel", tmp_path)


@pytest.fixture
def client(case_folder: Path, tmp_path: Path) -> TestClient:
    return make_client(case_folder, tmp_path / "cache")
