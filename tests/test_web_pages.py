"""What the page of dossier serve does, in-process: uploads, timeline, case file, boxes, build."""

from __future__ import annotations

import datetime as dt
import html as markup
import io
import json
import re
import tomllib
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from dossier.case import facts as case_model
from dossier.case.load import parse_case_data
from dossier.errors import CaseFileError
from dossier.pdf.pdfa_check import check_pdfa
from dossier.web import factsform
from dossier.web.security import csrf_token
from tests.conftest_web import ORIGIN, SECRET, make_client

CHANGE = {"x-csrf-token": csrf_token(SECRET), "origin": ORIGIN}
PHOTO = "IMG_20261030_101500.jpg"


def jpeg(width: int = 64, height: int = 48, colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def upload(client, name: str, data: bytes, **headers):
    return client.post(f"/upload?name={name}", content=data, headers={**CHANGE, **headers})


def test_the_timeline_lists_every_exhibit_like_dossier_list(client):
    """This test ensures that the evidence page shows each exhibit's label, date source, kind and caption."""
    html = client.get("/?language=en").text
    assert html.count('<li class="exhibit') == 6
    assert "Exhibit 1" in html or "Pièce" in html
    assert "Colis écrasé à la livraison" in html
    assert "date from the photo&#39;s EXIF" in html or "EXIF" in html
    assert f"/thumbnail/{PHOTO}" in html
    assert f"/picture/{PHOTO}" in html


def test_an_empty_folder_says_what_to_do(tmp_path):
    """This test ensures that an empty folder gives an invitation to add files, not an error."""
    folder = tmp_path / "new-case"
    folder.mkdir()
    client = make_client(folder, tmp_path / "cache")
    html = client.get("/?language=en").text
    assert "No evidence yet" in html
    assert client.get("/case").status_code == 200
    assert client.get("/build").status_code == 200


def test_thumbnails_are_cached_outside_the_folder_by_content(client, case_folder, tmp_path):
    """This test ensures that a thumbnail is made once, kept outside the case folder, named by content."""
    response = client.get(f"/thumbnail/{PHOTO}")
    assert response.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(response.content)).size[0] <= 160
    cached = list((tmp_path / "cache" / "thumbnails").iterdir())
    assert len(cached) == 1
    assert not any(p.name.endswith(".jpg") and "thumb" in p.name for p in case_folder.rglob("*"))


def test_an_upload_is_added_without_replacing_anything(client, case_folder):
    """This test ensures that uploads are copied in, renamed when the name is taken, and never overwrite."""
    original = (case_folder / PHOTO).read_bytes()
    first = upload(client, "kettle.jpg", jpeg(), **{"x-file-modified": "1793000000000"})
    assert first.json() == {
        "path": "kettle.jpg",
        "added": True,
        "message": "kettle.jpg\u00a0: ajouté.",
    }
    assert (case_folder / "kettle.jpg").stat().st_mtime == 1793000000
    other = upload(client, PHOTO, jpeg(colour="blue"))
    assert other.json()["path"] == "IMG_20261030_101500 (2).jpg"
    assert (case_folder / PHOTO).read_bytes() == original
    assert not [p for p in case_folder.iterdir() if p.name.startswith(".dossier-upload")]


def test_an_identical_file_is_recognised_and_not_copied_again(client, case_folder):
    """This test ensures that a file already in the folder (same SHA-256) is not copied twice."""
    before = sorted(p.name for p in case_folder.iterdir())
    response = upload(client, "copy-of-photo.jpg", (case_folder / PHOTO).read_bytes())
    assert response.json()["added"] is False
    assert response.json()["path"] == PHOTO
    assert "déjà dans le dossier" in response.json()["message"]
    assert sorted(p.name for p in case_folder.iterdir()) == before


def test_an_uploaded_file_appears_in_the_timeline(client):
    """This test ensures that the timeline follows the folder (the cached plan is refreshed)."""
    client.get("/")
    upload(client, "notes.txt", b"Appel au service client le 4 novembre.")
    assert "notes.txt" in client.get("/").text


def test_caption_date_and_place_are_written_keeping_the_users_comments(client, case_folder):
    """This test ensures that an exhibit edit changes its keys only, with comments and order kept."""
    path = case_folder / "case.toml"
    path.write_text(
        "# My kettle case\n"
        + path.read_text().replace('language = "fr"', 'language = "fr"  # French')
    )
    response = client.post(
        "/exhibit",
        json={
            "path": "confirmation-commande.eml",
            "caption": "Confirmation",
            "date": "2026-10-28",
            "order": 1,
        },
        headers=CHANGE,
    )
    assert response.status_code == 200, response.text
    text = path.read_text()
    assert text.startswith('# My kettle case\nlanguage = "fr"  # French\n')
    data = tomllib.loads(text)
    assert data["exhibits"]["confirmation-commande.eml"] == {
        "caption": "Confirmation",
        "date": dt.date(2026, 10, 28),
        "order": 1,
    }
    client.post(
        "/exhibit",
        json={"path": "confirmation-commande.eml", "caption": "", "date": "", "order": None},
        headers=CHANGE,
    )
    assert "confirmation-commande.eml" not in tomllib.loads(path.read_text())["exhibits"]


def test_a_wrong_date_is_refused_with_the_command_lines_words(client, case_folder):
    """This test ensures that a wrong value is not written, and the message is the case-file check's."""
    before = (case_folder / "case.toml").read_text()
    client.get("/?language=en")  # the page in English: the case is French
    response = client.post("/exhibit", json={"path": PHOTO, "date": "31/02/2026"}, headers=CHANGE)
    assert response.status_code == 422
    assert response.json() == {
        "error": f"exhibits.\"{PHOTO}\".date: '31/02/2026' is not a date; write it as 2026-11-03 or 2026-11-03T15:30:00",
        "field": f'exhibits."{PHOTO}".date',
    }
    assert (case_folder / "case.toml").read_text() == before


def test_the_form_offers_the_models_choices(client):
    """This test ensures that the facts form is made from the case model's lists, whatever they hold."""
    html = client.get("/case").text
    for value in (
        *case_model.PROBLEMS,
        *case_model.REMEDIES,
        *case_model.LETTER_KINDS,
        *case_model.CHANNELS,
    ):
        assert f'value="{value}"' in html, value
    assert 'value="amazon-eu"' in html
    assert 'name="order.items[1].title"' in html and 'name="order.items[2].title"' in html
    assert 'value="Łukasz Dvořák-Müller"' in html
    # Found in the evidence, not in the case file: filled in and marked with its source.
    assert "Trouvé dans les pièces\u00a0: confirmation-commande.eml" in html
    assert 'name="inferred:order.expected_delivery" value="2026-10-30"' in html


def test_a_broken_case_file_is_shown_not_hidden(client, case_folder):
    """This test ensures that a case file with a mistake gives its message, and the pages still open."""
    path = case_folder / "case.toml"
    path.write_text(path.read_text().replace('remedy = "refund"', 'remedy = "money"'))
    client.get("/?language=en")  # the page in English: the case is French
    for url in ("/", "/case"):
        html = client.get(url).text
        assert "demand.remedy: &#39;money&#39; is not one of refund" in html, url


def test_every_input_of_the_form_is_a_key_the_case_file_accepts(tmp_path):
    """This test ensures that the form writes no key that the case-file checks would call unknown."""
    sections = factsform.form_sections({"order.items": 1, "order.charges": 1, "contacts": 1})
    for field in factsform.all_fields(sections):
        *tables, key = re.sub(r"\[\d+\]", "", field.name).split(".")
        if not tables:
            continue
        data: dict = {}
        node = data
        for table in tables:
            node = node.setdefault(table, {} if table != "contacts" else [{}])
            if isinstance(node, list):
                node = node[0]
        node[key] = "x"
        try:
            parse_case_data(data, tmp_path / "case.toml")
        except CaseFileError as error:
            assert "unknown key" not in str(error), field.name


def form_of(client) -> dict[str, str]:
    """The form as the page would post it, from the page's own inputs (a small HTML reading)."""
    html = client.get("/case").text
    values: dict[str, str] = {}
    for name, value in re.findall(r'<input id="f-[^"]+" name="([^"]+)" value="([^"]*)"', html):
        values[name] = markup.unescape(value)
    for name, value in re.findall(
        r'<textarea id="f-[^"]+" name="([^"]+)"[^>]*>([^<]*)</textarea>', html
    ):
        values[name] = markup.unescape(value)
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html):
        values[name] = markup.unescape(value)
    for name, options in re.findall(
        r'<select id="f-[^"]+" name="([^"]+)"[^>]*>(.*?)</select>', html, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        values[name] = chosen.group(1) if chosen else ""
    checked = re.findall(r'<input type="checkbox" name="problem" value="([^"]+)" checked>', html)
    values["problem"] = checked  # type: ignore[assignment]
    return values


def test_saving_the_form_unchanged_keeps_the_file_as_it_was(client, case_folder):
    """This test ensures that a save writes only what changed: an untouched form leaves the file alone."""
    path = case_folder / "case.toml"
    path.write_text("# Written by hand\n" + path.read_text())
    before = path.read_text()
    data = form_of(client)
    assert data["problem"] == ["damaged"] and data["demand.remedy"] == "refund"
    response = client.post("/case", data=data, headers=CHANGE)
    assert response.status_code == 200, response.text
    assert tomllib.loads(path.read_text()) == tomllib.loads(before)
    assert path.read_text().startswith("# Written by hand\n")


def test_the_form_writes_a_new_fact_and_removes_an_emptied_one(client, case_folder):
    """This test ensures that the form adds, changes and removes keys in case.toml."""
    data = form_of(client)
    data["claimant.phone"] = "+32 470 00 00 00"
    data["letter.place"] = ""
    data["order.items[2].title"] = "Filtre anticalcaire"
    data["order.items[2].quantity"] = "2"
    response = client.post("/case", data=data, headers=CHANGE)
    assert response.status_code == 200, response.text
    saved = tomllib.loads((case_folder / "case.toml").read_text())
    assert saved["claimant"]["phone"] == "+32 470 00 00 00"
    assert "place" not in saved["letter"]
    assert saved["order"]["items"][1] == {"title": "Filtre anticalcaire", "quantity": 2}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "order.date",
            "31/02/2026",
            "order.date: '31/02/2026' is not a date; write it as 2026-11-03",
        ),
        (
            "claimant.email",
            "lukasz-at-example",
            "claimant.email: 'lukasz-at-example' is not an email address",
        ),
        (
            "demand.deadline_days",
            "500",
            "demand.deadline_days: 500 is not a number of days from 1 to 90",
        ),
        (
            "order.items[1].quantity",
            "0",
            "order.items[1].quantity: 0 is not a whole number of 1 or more",
        ),
    ],
)
def test_a_wrong_fact_is_shown_beside_its_field(client, case_folder, field, value, message):
    """This test ensures that a wrong value names its input and uses the command line's words."""
    before = (case_folder / "case.toml").read_text()
    client.get("/?language=en")  # the page in English: the case is French
    data = form_of(client)
    data[field] = value
    response = client.post("/case", data=data, headers=CHANGE)
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert response.json()["error"].startswith(message)
    assert (case_folder / "case.toml").read_text() == before


def test_a_case_file_changed_elsewhere_is_not_overwritten(client, case_folder):
    """This test ensures that the page does not overwrite a case file edited by hand meanwhile."""
    data = form_of(client)
    path = case_folder / "case.toml"
    path.write_text(path.read_text() + "\n# edited by hand\n")
    data["claimant.phone"] = "+32 470 00 00 00"
    response = client.post("/case", data=data, headers=CHANGE)
    assert response.status_code == 409
    assert "phone" not in path.read_text()
    assert client.get("/state").json()["version"] != data["version"]


def test_boxes_drawn_on_a_picture_are_saved_as_the_readme_documents(client, case_folder):
    """This test ensures that redaction, highlight and crop boxes land in the exhibit's table."""
    html = client.get(f"/picture/{PHOTO}").text
    assert 'data-width="' in html
    body = {
        "path": PHOTO,
        "redact": [[10, 20, 100, 40]],
        "highlight": [{"box": [50, 60, 70, 80], "shape": "ellipse", "label": "fissure"}],
        "crop": [0, 0, 300, 200],
    }
    response = client.post("/marks", json=body, headers=CHANGE)
    assert response.status_code == 200, response.text
    table = tomllib.loads((case_folder / "case.toml").read_text())["exhibits"][PHOTO]
    assert table["redact"] == [[10, 20, 100, 40]]
    assert table["highlight"] == [{"box": [50, 60, 70, 80], "shape": "ellipse", "label": "fissure"}]
    assert table["crop"] == [0, 0, 300, 200]
    assert table["caption"] == "Colis écrasé à la livraison"
    response = client.post(
        "/marks", json={"path": PHOTO, "redact": [[1, 2, -3, 4]]}, headers=CHANGE
    )
    assert response.status_code == 400


def test_a_build_runs_in_the_background_and_offers_pages_and_downloads(client, case_folder):
    """This test ensures that a build started from the page gives page pictures, the PDF and the manifest."""
    response = client.post("/build", headers=CHANGE)
    assert response.json()["started"] is True
    assert client.get("/").status_code == 200  # the page stays usable meanwhile
    site = client.app.app.state.site
    state = site.builder.wait(120)
    assert state.status == "done", state.error
    status = client.get("/build/state").json()
    assert status["pages"] == status["page_count"] > 2
    picture = client.get("/pages/1.png")
    assert picture.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(picture.content)).size[0] > 300
    pdf = client.get("/download/pdf")
    assert pdf.headers["content-disposition"] == 'attachment; filename="dossier.pdf"'
    reader = PdfReader(io.BytesIO(pdf.content))
    assert "MISE EN DEMEURE" in reader.pages[0].extract_text().upper()
    manifest = client.get("/download/manifest")
    assert json.loads(manifest.content)
    assert client.get("/download/other").status_code == 404
    assert (case_folder / "dossier.pdf").is_file()
    again = client.post("/build", headers=CHANGE).json()
    assert again["started"] is False and again["finished_at"] == status["finished_at"]
    (case_folder / "notes.txt").write_text("Appel le 4 novembre.", encoding="utf-8")
    assert client.post("/build", headers=CHANGE).json()["started"] is True
    assert site.builder.wait(120).status == "done"


def test_the_page_builds_pdfa_when_asked(client, case_folder):
    """This test ensures that the page's PDF/A choice gives a PDF/A-2b dossier, checked.

    The same folder built again as PDF/A is a new build (not "unchanged"),
    and the manifest is offered from beside the PDF, since a PDF/A holds none.
    """
    html = client.get("/build?language=fr").text
    assert 'id="build-pdfa"' in html and "Archivage à long terme (PDF/A)" in html
    site = client.app.app.state.site
    assert client.post("/build", json={}, headers=CHANGE).json()["started"] is True
    assert site.builder.wait(120).status == "done"
    plain = PdfReader(case_folder / "dossier.pdf")
    assert "/Metadata" not in plain.trailer["/Root"] or b"pdfaid" not in (
        plain.trailer["/Root"]["/Metadata"].get_object().get_data()
    )
    assert client.post("/build", json={"pdfa": True}, headers=CHANGE).json()["started"] is True
    state = site.builder.wait(180)
    assert state.status == "done", state.error
    assert check_pdfa(case_folder / "dossier.pdf") == []
    archived = PdfReader(io.BytesIO(client.get("/download/pdf").content))
    assert archived.attachments == {}
    xmp = archived.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfaid:part>2</pdfaid:part>" in xmp
    assert json.loads(client.get("/download/manifest").content)["build"]["options"]["pdfa"]
    # What the build says of it, in the page's language.
    notes = client.get("/build/state?language=fr").json()["notes"]
    assert "dossier.pdf\xa0: PDF/A-2b, vérifié avant d'être écrit" in " ".join(notes)
    # Asked again as it is: the PDF/A just made is kept.
    again = client.post("/build", json={"pdfa": True}, headers=CHANGE).json()
    assert again["started"] is False


def test_a_failed_build_says_why(tmp_path):
    """This test ensures that a build of an empty folder ends with the command line's message."""
    folder = tmp_path / "empty"
    folder.mkdir()
    client = make_client(folder, tmp_path / "cache")
    client.post("/build", headers=CHANGE)
    state = client.app.app.state.site.builder.wait(60)
    assert state.status == "failed"
    said = client.get("/build/state?language=en").json()["error"]
    assert "add your evidence files to this folder" in " ".join(said)
    # The same failure, in the page's language.
    said_in_french = " ".join(client.get("/build/state?language=fr").json()["error"])
    assert "aucune photo, capture d'écran, e-mail, PDF ou note" in said_in_french
    assert "add your evidence" not in said_in_french


def test_a_timeline_of_100_exhibits_is_read_once(tmp_path, monkeypatch):
    """This test ensures that the timeline of 100 pictures is read once, then shown from memory.

    A second visit to an unchanged folder must not read any file again; a
    changed folder is read again.
    """
    from dossier.web import app as web_app

    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(100):
        (folder / f"photo-{number:03d}.jpg").write_bytes(jpeg(40 + number, 30))
    client = make_client(folder, tmp_path / "cache")
    plans = []
    real_plan = web_app.api.plan

    def counted_plan(*args, **kwargs):
        plans.append(args)
        return real_plan(*args, **kwargs)

    monkeypatch.setattr(web_app.api, "plan", counted_plan)
    assert client.get("/").text.count('<li class="exhibit') == 100
    assert client.get("/").text.count('<li class="exhibit') == 100
    assert len(plans) == 1
    (folder / "photo-100.jpg").write_bytes(jpeg(200, 30))
    assert client.get("/").text.count('<li class="exhibit') == 101
    assert len(plans) == 2


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_the_page_speaks_the_chosen_language(client, language):
    """This test ensures that each page is in the chosen language, and the choice is remembered."""
    words = {"fr": "Vos pièces", "nl": "Uw stukken", "de": "Ihre Belege", "en": "Your evidence"}
    html = client.get(f"/?language={language}").text
    assert f'<html lang="{language}">' in html and words[language] in html
    assert f'<html lang="{language}">' in client.get("/case").text


def test_every_language_has_every_word():
    """This test ensures that the four string files have the same keys."""
    from dossier.web.words import _flat, _load

    keys = {language: set(_flat(_load(language))) for language in ("fr", "nl", "de", "en")}
    assert keys["fr"] == keys["en"] == keys["nl"] == keys["de"]


def test_the_serve_command_is_listed(tmp_path):
    """This test ensures that dossier serve has help and refuses a missing folder."""
    from click.testing import CliRunner

    from dossier.cli import main

    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0 and "127.0.0.1" in result.output
    result = CliRunner().invoke(main, ["serve", str(tmp_path / "nope"), "--no-browser"])
    assert result.exit_code == 2
    assert "no such folder" in result.stderr


def test_a_file_left_out_is_moved_aside_and_can_be_put_back(client, case_folder):
    """This test ensures that leaving a file out deletes nothing, and putting it back restores its settings."""
    path = case_folder / "case.toml"
    original = (case_folder / PHOTO).read_bytes()
    response = client.post("/leave-out", json={"path": PHOTO}, headers=CHANGE)
    assert response.status_code == 200, response.text
    assert not (case_folder / PHOTO).exists()
    assert (case_folder / ".left-out" / PHOTO).read_bytes() == original
    assert PHOTO not in tomllib.loads(path.read_text())["exhibits"]
    html = client.get("/").text
    assert html.count('<li class="exhibit') == 5
    assert f'data-path="{PHOTO}">' in html  # offered to put back
    response = client.post("/put-back", json={"path": PHOTO}, headers=CHANGE)
    assert response.status_code == 200, response.text
    assert (case_folder / PHOTO).read_bytes() == original
    assert (
        tomllib.loads(path.read_text())["exhibits"][PHOTO]["caption"]
        == "Colis écrasé à la livraison"
    )
    assert client.get("/").text.count('<li class="exhibit') == 6


def test_only_a_left_out_file_can_be_put_back(client, case_folder):
    """This test ensures that put-back moves nothing but the files left out."""
    for path in ("../case.toml", ".settings.toml", "case.toml", PHOTO):
        assert client.post("/put-back", json={"path": path}, headers=CHANGE).status_code == 404
    assert client.post("/leave-out", json={"path": "case.toml"}, headers=CHANGE).status_code == 404


def test_readme_pictures_of_the_page_exist_and_stay_small():
    """This test ensures that the README's pictures of the page are there and light."""
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"\]\((docs/images/serve-[^)]+\.png)\)", readme)
    assert len(shown) == 5
    assert sum((root / name).stat().st_size for name in shown) < 400 * 1024


def test_the_editor_shows_the_saved_result_and_refuses_a_box_off_the_picture(client, case_folder):
    """This test ensures that the result picture has the redaction burned in, and a box must lie on the picture."""
    with Image.open(case_folder / PHOTO) as photo:
        width, height = photo.size
    response = client.post(
        "/marks", json={"path": PHOTO, "redact": [[0, 0, width // 2, height // 2]]}, headers=CHANGE
    )
    assert response.status_code == 200, response.text
    result = Image.open(io.BytesIO(client.get(f"/result/{PHOTO}").content)).convert("L")
    corner = result.crop((0, 0, result.width // 2 - 4, result.height // 2 - 4))
    assert corner.getextrema()[1] < 30
    before = (case_folder / "case.toml").read_text()
    response = client.post(
        "/marks", json={"path": PHOTO, "redact": [[width - 10, 0, 50, 50]]}, headers=CHANGE
    )
    assert response.status_code == 422
    assert response.json()["error"].endswith(
        f"goes outside the picture ({width} x {height} pixels, upright); correct the box"
    )
    assert (case_folder / "case.toml").read_text() == before


def test_the_build_steps_are_said_in_the_pages_language():
    """This test ensures that the progress under the bar follows the page, not the build's English."""
    from dossier.web.builds import BuildState

    reading = BuildState(status="running", step="Reading IMG_20261030_101500.jpg")
    assert reading.as_json("fr")["step"] == "Lecture de IMG_20261030_101500.jpg"
    assert reading.as_json("en")["step"] == "Reading IMG_20261030_101500.jpg"
    drawing = BuildState(status="running", step="Drawing the pages")
    assert drawing.as_json("de")["step"] != "Drawing the pages"
    assert drawing.as_json("nl")["step"] != "Drawing the pages"
