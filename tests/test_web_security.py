"""The rules every request of dossier serve passes: secret, Host, Origin, CSRF, paths, headers."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from dossier.web import create_app
from dossier.web.files import OutsideFolderError, clean_name, safe_path
from dossier.web.security import csrf_token
from tests.conftest_web import HOST, ORIGIN, SECRET, make_client

CSRF = {"x-csrf-token": csrf_token(SECRET), "origin": ORIGIN}


def anonymous(folder: Path, cache: Path) -> TestClient:
    app = create_app(folder, SECRET, {HOST}, cache=cache)
    return TestClient(app, base_url=ORIGIN, follow_redirects=False)


def test_without_the_secret_nothing_is_shown(case_folder, tmp_path):
    """This test ensures that a request without the secret gets no page, no file, no picture."""
    client = anonymous(case_folder, tmp_path / "cache")
    for url in ("/", "/case", "/build", "/thumbnail/IMG_20261030_101500.jpg", "/static/app.js"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "dossier serve" in response.text
        assert "Colis" not in response.text


def test_a_wrong_secret_is_refused(case_folder, tmp_path):
    """This test ensures that a wrong secret in the address or in the cookie opens nothing."""
    client = anonymous(case_folder, tmp_path / "cache")
    assert client.get("/?token=guess").status_code == 403
    client.cookies.set("dossier-session", "guess")
    assert client.get("/").status_code == 403


def test_the_secret_becomes_a_strict_cookie_and_leaves_the_address(case_folder, tmp_path):
    """This test ensures that the secret is traded for an HttpOnly SameSite=Strict cookie once."""
    client = anonymous(case_folder, tmp_path / "cache")
    response = client.get(f"/case?token={SECRET}&language=nl")
    assert response.status_code == 303
    assert response.headers["location"] == "/case?language=nl"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"dossier-session={SECRET};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/case?language=nl").status_code == 200


@pytest.mark.parametrize("host", ["evil.example:8765", "127.0.0.1:9999", "localhost", ""])
def test_a_foreign_host_is_refused(client, host):
    """This test ensures that a request naming another host (DNS rebinding) is refused."""
    response = client.get("/", headers={"host": host})
    assert response.status_code == 421


def test_localhost_is_the_same_server(case_folder, tmp_path):
    """This test ensures that both names of this computer are accepted."""
    client = make_client(case_folder, tmp_path / "cache")
    assert client.get("/", headers={"host": "localhost:8765"}).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"origin": "http://evil.example"},
        {"origin": ORIGIN},
        {"x-csrf-token": csrf_token(SECRET)},
        {"origin": "http://evil.example", "x-csrf-token": csrf_token(SECRET)},
        {"origin": ORIGIN, "x-csrf-token": "0" * 64},
        {"origin": "null", "x-csrf-token": csrf_token(SECRET)},
    ],
    ids=[
        "nothing",
        "foreign-origin",
        "no-token",
        "no-origin",
        "foreign-with-token",
        "wrong-token",
        "null-origin",
    ],
)
def test_a_cross_site_change_is_refused(client, case_folder, headers):
    """This test ensures that a change needs this page's Origin and its CSRF token, and writes nothing."""
    before = (case_folder / "case.toml").read_bytes()
    files_before = sorted(p.name for p in case_folder.iterdir())
    for url, body in [
        ("/upload?name=x.txt", b"hello"),
        ("/exhibit", b'{"path": "IMG_20261030_101500.jpg", "caption": "pwned"}'),
        ("/build", b""),
        ("/case", b"claimant.name=pwned"),
    ]:
        response = client.post(url, content=body, headers=headers)
        assert response.status_code == 403, url
    assert (case_folder / "case.toml").read_bytes() == before
    assert sorted(p.name for p in case_folder.iterdir()) == files_before


def test_a_change_from_the_page_is_accepted(client, case_folder):
    """This test ensures that the page's own requests (Origin and token) do change the case."""
    response = client.post(
        "/exhibit",
        json={"path": "IMG_20261030_101500.jpg", "caption": "Colis écrasé, vu de dessus"},
        headers=CSRF,
    )
    assert response.status_code == 200, response.text
    assert 'caption = "Colis écrasé, vu de dessus"' in (case_folder / "case.toml").read_text()


def test_every_response_forbids_other_sources(client):
    """This test ensures that each answer carries a CSP allowing nothing from elsewhere."""
    for url in ("/", "/static/app.css", "/nothing-here"):
        response = client.get(url)
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy
        assert "script-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert "http" not in policy and "*" not in policy
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
    refused = anonymous_headers = client.get("/", headers={"host": "evil.example"}).headers
    assert "default-src 'none'" in refused["content-security-policy"]
    assert anonymous_headers is refused


def test_the_page_has_no_inline_script_or_style(client):
    """This test ensures that the pages work under the CSP: no inline script, style or handler."""
    for url in ("/", "/case", "/build", "/picture/IMG_20261030_101500.jpg"):
        html = client.get(url).text
        assert "<script>" not in html and "<script " not in html.replace(
            '<script src="/static/app.js" defer>', ""
        )
        assert "style=" not in html and "<style" not in html
        assert " onclick=" not in html and " onload=" not in html
        assert "http://" not in html and "https://" not in html


@pytest.mark.parametrize(
    "relpath",
    [
        "../secret.txt",
        "/etc/passwd",
        "a/../../secret.txt",
        "..",
        ".hidden",
        "sub/.git/config",
        "a\\..\\b",
        "",
    ],
)
def test_no_path_outside_the_folder(case_folder, relpath):
    """This test ensures that a path from the page cannot leave the case folder."""
    with pytest.raises(OutsideFolderError):
        safe_path(case_folder, relpath)


def test_a_symbolic_link_out_of_the_folder_is_not_followed(client, case_folder, tmp_path):
    """This test ensures that a link inside the folder to a file outside gives nothing."""
    outside = tmp_path / "private.jpg"
    outside.write_bytes((case_folder / "IMG_20261030_101500.jpg").read_bytes())
    (case_folder / "link.jpg").symlink_to(outside)
    with pytest.raises(OutsideFolderError):
        safe_path(case_folder, "link.jpg")
    assert client.get("/thumbnail/link.jpg").status_code == 404
    assert client.get("/upright/link.jpg").status_code == 404
    response = client.post("/exhibit", json={"path": "link.jpg", "caption": "x"}, headers=CSRF)
    assert response.status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/thumbnail/../../etc/passwd",
        "/thumbnail/%2e%2e/%2e%2e/etc/passwd",
        "/upright/..%2Fcase.toml",
        "/picture/case.toml",
    ],
)
def test_files_outside_the_evidence_are_not_served(client, url):
    """This test ensures that only evidence files of the folder can be read through the page."""
    response = client.get(url)
    assert response.status_code == 404
    assert "root:" not in response.text


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/cron.d/evil", "evil"),
        ("..\\..\\windows\\evil.jpg", "evil.jpg"),
        ("/etc/passwd", "passwd"),
        (".bashrc", "bashrc"),
        ("..", "file"),
        ("case.toml", "evidence-case.toml"),
        ("dossier.pdf", "evidence-dossier.pdf"),  # the default output path
        ("Dossier-remboursement.pdf", "Dossier-remboursement.pdf"),
        ("photo\x00.jpg", "photo.jpg"),
        ("facture\n.pdf", "facture.pdf"),
    ],
)
def test_upload_names_stay_in_the_folder(given, kept):
    """This test ensures that an upload name is reduced to a plain file name of the folder."""
    assert clean_name(given) == kept


def test_an_upload_with_a_climbing_name_lands_in_the_folder(client, case_folder, tmp_path):
    """This test ensures that '../' in an upload name writes inside the folder, not above it."""
    response = client.post("/upload?name=../../outside.txt", content=b"note", headers=CSRF)
    assert response.status_code == 200
    assert response.json()["path"] == "outside.txt"
    assert (case_folder / "outside.txt").read_bytes() == b"note"
    assert not (tmp_path / "outside.txt").exists()


def test_an_upload_over_the_limit_is_refused_with_a_clear_message(case_folder, tmp_path):
    """This test ensures that a too-large upload keeps nothing and says what to do."""
    client = make_client(case_folder, tmp_path / "cache", upload_limit=1000)
    before = sorted(p.name for p in case_folder.iterdir())
    response = client.post("/upload?name=big.jpg", content=b"x" * 1001, headers=CSRF)
    assert response.status_code == 413
    assert response.json()["error"].startswith("big.jpg\u00a0: trop volumineux (plus de 1 Ko)")

    def chunks():  # no Content-Length: the limit holds while the body arrives
        for _ in range(5):
            yield b"x" * 300

    response = client.post("/upload?name=big.jpg", content=chunks(), headers=CSRF)
    assert response.status_code == 413
    assert sorted(p.name for p in case_folder.iterdir()) == before


def test_no_websocket_is_accepted(client):
    """This test ensures that the server opens no other channel than its pages."""
    from starlette.websockets import WebSocketDisconnect

    with pytest.raises(WebSocketDisconnect), client.websocket_connect("/"):
        pass
