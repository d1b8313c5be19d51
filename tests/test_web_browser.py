"""dossier serve in a real headless Chromium: the whole journey, the security rules, accessibility.

One Chromium for the module (``browser``); each test starts its own
``dossier serve`` on its own folder. Set DOSSIER_SCREENSHOTS to a folder to
keep a picture of each step (scripts/web_screenshots.sh makes the README's).
"""

from __future__ import annotations

import http.server
import os
import threading
import tomllib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from dossier.letters.letter import letter_words
from tests.conftest_browser import AXE, copy_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "damaged-parcel"
# The address label on the photo of the parcel: what the redaction box must hide.
LABEL = (405, 400, 545, 485)
NAMES = {
    "fr": "Élodie Vandamme",
    "nl": "Pieter Janssens",
    "de": "Jürgen Mertes",
    "en": "Alice Example",
}
PLACES = {"fr": "Liège", "nl": "Gent", "de": "Eupen", "en": "Brussels"}
# The command line's words for a wrong email address, in the page's language.
NOT_AN_EMAIL = {
    "fr": "claimant.email\u00a0: 'not-an-address' n'est pas une adresse e-mail",
    "nl": "claimant.email: 'not-an-address' is geen e-mailadres",
    "de": "claimant.email: 'not-an-address' ist keine E-Mail-Adresse",
    "en": "claimant.email: 'not-an-address' is not an email address",
}


def photo(path: Path) -> Path:
    """The sample's photo of the parcel, its address label made plain white with a name on it."""
    with Image.open(SAMPLE / "IMG_20261030_101500.jpg") as sample:
        image = sample.convert("RGB").resize((800, 600))
    draw = ImageDraw.Draw(image)
    draw.rectangle(LABEL, fill=(255, 255, 255))
    draw.multiline_text(
        (LABEL[0] + 8, LABEL[1] + 10), "E. EXAMPLE\nRUE DE L'EXEMPLE 1\n4000 LIEGE", fill=(0, 0, 0)
    )
    image.save(path, "JPEG", quality=95)
    return path


def shot(page, name: str) -> None:
    folder = os.environ.get("DOSSIER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


def new_page(browser, language: str = "fr"):
    context = browser.new_context(
        locale={"fr": "fr-BE", "nl": "nl-BE", "de": "de-BE", "en": "en-GB"}[language],
        accept_downloads=True,
        viewport={"width": 1280, "height": 860},
    )
    return context, context.new_page()


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_from_an_empty_folder_to_a_downloaded_dossier(browser, serve, tmp_path, language):
    """This test ensures that a person can add evidence, hide a label, fill the facts, build and download, with the page only."""
    folder = tmp_path / "my-case"
    folder.mkdir()
    server = serve(folder)
    context, page = new_page(browser, language)
    page.goto(f"{server.address}&language={language}")
    assert page.locator("html").get_attribute("lang") == language
    shot(page, f"{language}-1-empty")

    # Evidence: a photo and a PDF chosen, an email dropped.
    with page.expect_navigation():
        page.set_input_files(
            "#files",
            [str(photo(tmp_path / "parcel.jpg")), str(SAMPLE / "facture-402-1234567-1234567.pdf")],
        )
    email = (SAMPLE / "confirmation-commande.eml").read_text(encoding="utf-8")
    transfer = page.evaluate_handle(
        "(text) => { const t = new DataTransfer(); t.items.add(new File([text], 'confirmation.eml', {type: 'message/rfc822'})); return t; }",
        email,
    )
    with page.expect_navigation():
        page.dispatch_event("#drop", "drop", {"dataTransfer": transfer})
    assert page.locator("li.exhibit").count() == 3
    # What was said about each file stays on the page after it is drawn again.
    assert page.locator("#upload-log li.ok").count() == 3
    assert "confirmation.eml" in page.locator("#upload-log").inner_text()
    assert sorted(p.name for p in folder.iterdir()) == [
        "confirmation.eml",
        "facture-402-1234567-1234567.pdf",
        "parcel.jpg",
    ]
    shot(page, f"{language}-2-evidence")

    # The picture: a black box drawn with the mouse over the label.
    page.click("a[href='/picture/parcel.jpg']")
    picture = page.locator("#picture")
    picture.wait_for()
    page.wait_for_function("document.getElementById('picture').complete")
    box = picture.bounding_box()
    scale = box["width"] / 800
    page.mouse.move(box["x"] + (LABEL[0] - 10) * scale, box["y"] + (LABEL[1] - 10) * scale)
    page.mouse.down()
    page.mouse.move(box["x"] + LABEL[2] * scale, box["y"] + LABEL[3] * scale, steps=4)
    page.mouse.move(box["x"] + (LABEL[2] + 12) * scale, box["y"] + (LABEL[3] + 12) * scale, steps=4)
    page.mouse.up()
    shot(page, f"{language}-3-picture")
    page.click("#save-marks")
    page.wait_for_selector("#marks-status.ok")
    redact = tomllib.loads((folder / "case.toml").read_text())["exhibits"]["parcel.jpg"]["redact"]
    x, y, width, height = redact[0]
    assert x <= LABEL[0] and y <= LABEL[1] and x + width >= LABEL[2] and y + height >= LABEL[3]

    # The facts: a mistake shown beside its field, then corrected.
    page.goto(f"{server.origin}/case")
    page.fill("#f-claimant\\.name", NAMES[language])
    page.fill("#f-claimant\\.address", "Rue de l'Exemple 1\n4000 Liège")
    page.fill("#f-claimant\\.email", "not-an-address")
    page.check("input[name=problem][value=damaged]")
    page.select_option("#f-recipient\\.preset", "amazon-eu")
    page.fill("#f-order\\.number", "402-1234567-1234567")
    page.fill("#f-order\\.date", "2026-10-28")
    page.fill("#f-order\\.items\\[1\\]\\.title", "Bouilloire")
    page.fill("#f-order\\.total", "23.99")
    page.select_option("#f-demand\\.remedy", "refund")
    page.select_option("#f-letter\\.kind", "formal_notice")
    page.fill("#f-letter\\.place", PLACES[language])
    page.fill("#f-letter\\.date", "2026-11-20")
    page.click("#case-form button[type=submit]")
    error = page.locator("#e-claimant\\.email")
    error.wait_for()
    assert error.inner_text() == NOT_AN_EMAIL[language]
    assert page.locator("#f-claimant\\.email").get_attribute("aria-invalid") == "true"
    shot(page, f"{language}-4-facts-error")
    page.fill("#f-claimant\\.email", "someone@example.org")
    page.click("#case-form button[type=submit]")
    page.wait_for_selector("#case-status.ok")
    facts = tomllib.loads((folder / "case.toml").read_text())
    assert facts["claimant"]["name"] == NAMES[language]
    assert facts["exhibits"]["parcel.jpg"]["redact"] == redact

    # Build, look, download.
    page.goto(f"{server.origin}/build")
    page.click("#build")
    page.wait_for_selector("#result:not([hidden])", timeout=120_000)
    first = page.locator("#pages img").first
    first.wait_for()
    page.wait_for_function("document.querySelector('#pages img').naturalWidth > 300")
    shot(page, f"{language}-5-built")
    with page.expect_download() as download:
        page.click("#download-pdf")
    pdf = Path(download.value.path())
    reader = PdfReader(pdf)
    text = reader.pages[0].extract_text()
    assert NAMES[language] in text
    assert facts["language"] == language
    title = letter_words(language)["titles.formal_notice"]
    assert title.split()[0] in text
    hidden = 0
    for pdf_page in reader.pages:
        for image in pdf_page.images:
            picture = image.image.convert("RGB")
            if picture.size != (800, 600):
                continue
            region = picture.crop(LABEL)
            assert max(max(band) for band in region.getextrema()) < 40  # black: the label is gone
            hidden += 1
    assert hidden == 1
    with page.expect_download() as manifest:
        page.click("#download-manifest")
    assert Path(manifest.value.path()).read_bytes().startswith(b"{")
    context.close()


def test_a_wrong_secret_opens_nothing(browser, serve, tmp_path):
    """This test ensures that the address without the right secret shows no case."""
    server = serve(copy_sample(tmp_path))
    context, page = new_page(browser)
    response = page.goto(f"{server.origin}/?token=wrong")
    assert response.status == 403
    assert "dossier serve" in page.content() and "Colis" not in page.content()
    response = page.goto(f"{server.origin}/case")
    assert response.status == 403
    context.close()


def test_a_foreign_host_is_refused(browser, serve, tmp_path):
    """This test ensures that a name resolved to 127.0.0.1 by another site (DNS rebinding) gets nothing."""
    server = serve(copy_sample(tmp_path))
    context, page = new_page(browser)
    response = page.goto(f"http://rebound.test:{server.port}/?token={server.token}")
    assert response.status == 421
    context.close()


class _Evil(http.server.BaseHTTPRequestHandler):
    target = ""

    def do_GET(self):
        page = f"""<!doctype html><title>evil</title>
<form id="f" method="post" action="{self.target}/build"></form>
<script>
fetch("{self.target}/upload?name=evil.txt", {{method: "POST", body: "x", credentials: "include", mode: "no-cors"}})
  .finally(() => fetch("{self.target}/exhibit", {{method: "POST", credentials: "include", mode: "no-cors",
     headers: {{"Content-Type": "text/plain"}}, body: JSON.stringify({{path: "IMG_20261030_101500.jpg", caption: "pwned"}})}}))
  .finally(() => {{ document.title = "sent"; document.getElementById("f").submit(); }});
</script>"""
        body = page.encode()
        self.send_response(200)
        self.send_header("content-type", "text/html")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_another_site_cannot_change_the_case(browser, serve, tmp_path):
    """This test ensures that a page of another origin, opened in the same browser, changes nothing."""
    folder = copy_sample(tmp_path)
    server = serve(folder)
    before = sorted(p.name for p in folder.iterdir()), (folder / "case.toml").read_bytes()
    context, page = new_page(browser)
    page.goto(server.address)  # the user is signed in: the cookie is in this browser
    _Evil.target = server.origin
    evil = http.server.HTTPServer(("127.0.0.1", 0), _Evil)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        page.goto(f"http://localhost:{evil.server_port}/")
        page.wait_for_load_state("networkidle")
    finally:
        evil.shutdown()
        evil.server_close()
    assert (sorted(p.name for p in folder.iterdir()), (folder / "case.toml").read_bytes()) == before
    page.goto(f"{server.origin}/build")
    assert page.locator("#result").is_hidden()
    context.close()


def test_an_upload_name_cannot_climb_out_of_the_folder(browser, serve, tmp_path):
    """This test ensures that '../' in a file name sent by the page writes inside the folder only."""
    folder = copy_sample(tmp_path)
    server = serve(folder)
    context, page = new_page(browser)
    page.goto(server.address)
    answer = page.evaluate(
        """async () => {
            const response = await fetch("/upload?name=" + encodeURIComponent("../../escape.txt"),
                {method: "POST", body: "x", headers: {"X-CSRF-Token": document.body.dataset.csrf}});
            return await response.json();
        }"""
    )
    assert answer["path"] == "escape.txt"
    assert (folder / "escape.txt").read_bytes() == b"x"
    assert not (tmp_path / "escape.txt").exists()
    context.close()


def copy_sample(tmp_path: Path) -> Path:
    folder = tmp_path / "damaged-parcel"
    for source in SAMPLE.iterdir():
        copy_file(source, folder)
    return folder


def axe_violations(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_every_page_passes_axe(browser, serve, tmp_path, language):
    """This test ensures that axe-core finds no serious or critical problem on any page."""
    server = serve(copy_sample(tmp_path))
    context, page = new_page(browser, language)
    page.goto(f"{server.address}&language={language}")
    found = {"/": axe_violations(page)}
    for url in ("/case", "/picture/IMG_20261030_101500.jpg", "/build"):
        page.goto(server.origin + url)
        found[url] = axe_violations(page)
    page.click("#build")
    page.wait_for_selector("#result:not([hidden])", timeout=120_000)
    found["/build (built)"] = axe_violations(page)
    assert found == {url: [] for url in found}
    context.close()


def test_the_picture_editor_works_with_the_keyboard_alone(browser, serve, tmp_path):
    """This test ensures that a box can be added, placed and saved without a mouse."""
    folder = copy_sample(tmp_path)
    server = serve(folder)
    context, page = new_page(browser)
    page.goto(server.address)
    page.goto(f"{server.origin}/picture/IMG_20261030_101500.jpg")
    page.focus("#add-box")
    page.keyboard.press("Enter")
    for value in ("10", "20", "300", "40"):
        page.keyboard.press("Control+A")
        page.keyboard.type(value)
        page.keyboard.press("Tab")
    page.focus("#save-marks")
    page.keyboard.press("Enter")
    page.wait_for_selector("#marks-status.ok")
    table = tomllib.loads((folder / "case.toml").read_text())["exhibits"]["IMG_20261030_101500.jpg"]
    assert table["redact"] == [[10, 20, 300, 40]]
    context.close()


def test_a_changed_case_file_is_noticed_and_a_file_left_out_comes_back(browser, serve, tmp_path):
    """This test ensures that the page notices a hand edit, and that leaving a file out is asked and undone."""
    folder = copy_sample(tmp_path)
    server = serve(folder)
    context, page = new_page(browser)
    page.goto(server.address)
    assert page.locator("#changed").is_hidden()
    path = folder / "case.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited by hand\n", encoding="utf-8")
    page.wait_for_selector("#changed:not([hidden])", timeout=10_000)

    # Leaving a file out asks first; putting it back undoes it.
    page.reload()
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    with page.expect_navigation():
        page.click("li.exhibit[data-path='reponse-service-client.eml'] button.leave-out")
    assert "reponse-service-client.eml" in questions[0]
    assert (folder / ".left-out" / "reponse-service-client.eml").is_file()
    with page.expect_navigation():
        page.click("button.put-back[data-path='reponse-service-client.eml']")
    assert (folder / "reponse-service-client.eml").is_file()

    # Dragging the last exhibit onto the second gives it the second place.
    page.set_viewport_size({"width": 1280, "height": 2400})  # both in view: no scrolling mid-drag
    with page.expect_navigation():
        page.drag_and_drop(
            "li.exhibit[data-path='reponse-service-client.eml']", "li.exhibit[data-number='2']"
        )
    settings = tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))["exhibits"]
    assert settings["reponse-service-client.eml"]["order"] == 2
    assert (
        page.locator("li.exhibit").nth(1).get_attribute("data-path") == "reponse-service-client.eml"
    )
    context.close()
