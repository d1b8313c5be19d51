"""dossier app: the home page of the cases, its names, and the program's life (second launch, stop).

The home page's rules run in-process (Starlette's TestClient); the program
itself runs as the icon runs it, ``dossier app`` in a process of its own,
spoken to over HTTP like a browser would.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import html
import http.client
import json
import os
import re
import subprocess
import sys
import time
import tomllib
import types
from pathlib import Path
from urllib.parse import quote

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient

from dossier.layout.style import strings
from dossier.web import cases
from dossier.web.launcher import Launcher, _Case, listen, state_path
from dossier.web.security import csrf_token
from dossier.web.words import page_words
from tests.conftest_browser import DossierProcess

ROOT = Path(__file__).resolve().parent.parent
PHOTO = ROOT / "samples" / "damaged-parcel" / "IMG_20261030_101500.jpg"


# --- names typed by the user ----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        pytest.param("Kettle Amazon", "Kettle Amazon", id="spaces"),
        pytest.param("  Bouilloire été 2026  ", "Bouilloire été 2026", id="accents-trimmed"),
        pytest.param("Bouilloire e\u0301te\u0301", "Bouilloire été", id="decomposed-to-nfc"),
        pytest.param("Wasserkocher_Müller-2", "Wasserkocher_Müller-2", id="underscore-dash"),
        pytest.param("v1.2 parcel", "v1.2 parcel", id="one-dot-inside"),
        pytest.param("Console", "Console", id="starts-like-con"),
    ],
)
def test_a_good_name_is_kept(typed, written):
    """This test ensures that ordinary case names pass, trimmed and in NFC."""
    assert cases.check_case_name(typed) == written


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        pytest.param("", "empty", id="empty"),
        pytest.param("   ", "empty", id="blank"),
        pytest.param("x" * 81, "too_long", id="too-long"),
        pytest.param("../secret", "separator", id="climb"),
        pytest.param("a/b", "separator", id="slash"),
        pytest.param("a\\b", "separator", id="backslash"),
        pytest.param("..", "dots", id="dot-dot"),
        pytest.param(".", "dots", id="dot"),
        pytest.param(".hidden", "dots", id="leading-dot"),
        pytest.param("case..old", "dots", id="dot-dot-inside"),
        pytest.param("a:b", "character", id="colon"),
        pytest.param("what?", "character", id="question"),
        pytest.param('say "hi"', "character", id="quote"),
        pytest.param("tab\there", "character", id="control"),
        pytest.param("case.", "trailing", id="trailing-dot"),
        pytest.param("CON", "reserved", id="con"),
        pytest.param("nul.txt", "reserved", id="nul-with-extension"),
        pytest.param("com1", "reserved", id="com1-lower"),
        pytest.param("LPT9", "reserved", id="lpt9"),
    ],
)
def test_a_name_that_cannot_be_a_folder_is_refused(typed, reason):
    """This test ensures that each kind of impossible folder name is refused with its own reason."""
    with pytest.raises(cases.CaseNameError) as refused:
        cases.check_case_name(typed)
    assert refused.value.reason == reason


def test_a_case_is_made_under_its_parent_and_never_twice(tmp_path):
    """This test ensures that the parent is made when missing and a name is taken only once, whatever its letter case."""
    parent = tmp_path / "Dossiers"
    folder = cases.create_case(parent, " Kettle ")
    assert folder == parent / "Kettle" and folder.is_dir()
    with pytest.raises(cases.CaseNameError) as refused:
        cases.create_case(parent, "KETTLE")
    assert refused.value.reason == "exists" and refused.value.values["name"] == "Kettle"
    assert sorted(p.name for p in parent.iterdir()) == ["Kettle"]
    assert list(folder.iterdir()) == []
    dutch = cases.create_case(parent, "Waterkoker", language="nl")
    assert tomllib.loads((dutch / "case.toml").read_text(encoding="utf-8")) == {"language": "nl"}


def test_the_cases_are_listed_newest_first_with_their_files(tmp_path, case_folder):
    """This test ensures that the list shows each case folder, its evidence count and case file, newest first."""
    parent = tmp_path / "Dossiers"
    old = cases.create_case(parent, "Old case")
    os.utime(old, (1_700_000_000, 1_700_000_000))
    (parent / ".hidden").mkdir()
    (parent / "notes.txt").write_text("not a case")
    listed = cases.list_cases(parent, also=(case_folder,))
    assert [entry.name for entry in listed] == ["damaged-parcel", "Old case"]
    assert listed[0].files == len(list(case_folder.glob("*.*"))) - 1  # all but case.toml
    assert listed[0].has_case_file and not listed[1].has_case_file
    assert listed[1].files == 0
    assert cases.list_cases(tmp_path / "missing") == []


# --- the home page, in-process -----------------------------------------------------------


HOST = "127.0.0.1:8770"


@pytest.fixture
def home(tmp_path):
    launcher = Launcher(8770, tmp_path / "Dossiers", cache=tmp_path / "cache")
    client = TestClient(launcher.app(), base_url=f"http://{HOST}", follow_redirects=False)
    assert client.get(f"/?token={launcher.secret}").status_code == 303
    client.headers["origin"] = f"http://{HOST}"
    return launcher, client


@pytest.mark.parametrize(
    ("how", "language", "title"),
    [
        pytest.param({"params": {"language": "nl"}}, "nl", "Uw dossiers", id="chosen-nl"),
        pytest.param(
            {"headers": {"accept-language": "de-BE,de;q=0.9"}}, "de", "Ihre Fälle", id="browser-de"
        ),
        pytest.param(
            {"headers": {"accept-language": "en-GB"}}, "en", "Your cases", id="browser-en"
        ),
        pytest.param(
            {"headers": {"accept-language": "es-ES"}}, "fr", "Vos dossiers", id="default-fr"
        ),
    ],
)
def test_the_home_page_speaks_the_chosen_or_the_browsers_language(home, how, language, title):
    """This test ensures that the home page is in the language asked for, else the browser's, else French."""
    _, client = home
    page = client.get("/", **how)
    assert page.status_code == 200
    assert f'<html lang="{language}">' in page.text
    assert f"<h1>{title}</h1>" in page.text
    assert ("dossier-language" in page.headers.get("set-cookie", "")) == ("params" in how)


def test_a_wrong_name_is_explained_in_the_pages_language_and_nothing_is_made(home, tmp_path):
    """This test ensures that a refused name gets the page's words, naming the name, and creates no folder."""
    launcher, client = home
    headers = {"x-csrf-token": csrf_token(launcher.secret)}
    client.cookies.set("dossier-language", "de")
    answer = client.post("/cases", json={"name": "../geheim"}, headers=headers)
    assert answer.status_code == 422
    assert answer.json()["error"] == (
        "Der Name „../geheim“ enthält / oder \\: Ein Fall ist ein einziger Ordner. "
        "Verwenden Sie stattdessen -."
    )
    answer = client.post("/cases", json={"name": "PRN"}, headers=headers)
    assert answer.json()["error"].startswith("„PRN“ ist ein Name, den Windows")
    assert not (tmp_path / "Dossiers").exists()


def test_a_case_cannot_be_made_from_another_site(home, tmp_path):
    """This test ensures that creating a case needs the page's token and origin, like every change."""
    launcher, client = home
    assert client.post("/cases", json={"name": "x"}).status_code == 403
    other = {"x-csrf-token": csrf_token(launcher.secret), "origin": "http://evil.test"}
    assert client.post("/cases", json={"name": "x"}, headers=other).status_code == 403
    assert client.post("/stop", headers=other).status_code == 403
    assert not launcher.stopping
    assert not (tmp_path / "Dossiers").exists()


def test_the_home_page_lists_the_cases_and_opens_only_real_folders(home, tmp_path):
    """This test ensures that each case is a link that opens it, and a missing folder is explained."""
    launcher, client = home
    cases.create_case(tmp_path / "Dossiers", "Colis abîmé")
    page = client.get("/", params={"language": "fr"}).text
    assert 'href="/open?folder=' in page and ">Colis abîmé</a>" in page
    assert "0 fichiers" in page
    missing = client.get("/open", params={"folder": str(tmp_path / "gone")})
    assert missing.status_code == 404
    assert f"Le dossier {tmp_path / 'gone'} n'existe pas (ou plus)" in html.unescape(missing.text)
    relative = client.get("/open", params={"folder": "Dossiers"})
    assert relative.status_code == 404
    # Any other folder of the disk: not from a link, only when given to dossier app.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert client.get("/open", params={"folder": str(elsewhere)}).status_code == 404
    assert client.get("/open", params={"folder": str(tmp_path)}).status_code == 404
    assert launcher.may_open(tmp_path / "Dossiers" / "Colis abîmé")
    assert not launcher.may_open(elsewhere)
    allow = client.post(
        "/allow",
        json={"folder": str(elsewhere)},
        headers={"x-csrf-token": csrf_token(launcher.secret)},
    )
    assert allow.status_code == 200 and launcher.may_open(elsewhere)
    assert client.post("/allow", json={"folder": str(tmp_path)}).status_code == 403


# --- the program, as the icon starts it --------------------------------------------------


class App(DossierProcess):
    """``dossier app --no-browser`` in a process of its own, at the address it printed."""

    def __init__(self, tmp_path: Path, *arguments: str) -> None:
        self.environment = {
            **os.environ,
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "DOSSIER_HOME": str(tmp_path / "Dossiers"),
        }
        self.cache = tmp_path / "cache" / "dossier"
        super().__init__(["app", "--no-browser", *arguments], self.environment)

    def request(self, method: str, path: str, body: bytes | None = None, port: int | None = None):
        port = port or self.port
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        headers = {
            "Host": f"127.0.0.1:{port}",
            "Cookie": f"dossier-{port}={self.token}",
            "Origin": f"http://127.0.0.1:{port}",
            "X-CSRF-Token": csrf_token(self.token),
        }
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, dict(response.getheaders()), data


@pytest.fixture
def start_app(tmp_path):
    started: list[App] = []

    def start(*arguments: str) -> App:
        app = App(tmp_path, *arguments)
        started.append(app)
        return app

    yield start
    for app in started:
        app.stop()


def test_a_second_launch_opens_the_running_one(start_app, tmp_path):
    """This test ensures that starting the app again answers with the running one's address instead of failing."""
    running = start_app()
    state = json.loads((running.cache / "app.json").read_text())
    assert state["port"] == running.port
    assert oct((running.cache / "app.json").stat().st_mode & 0o777) == "0o600"
    second = subprocess.run(
        [sys.executable, "-m", "dossier", "app", "--no-browser"],
        capture_output=True,
        text=True,
        env=running.environment,
        timeout=60,
    )
    assert second.returncode == 0, second.stderr
    assert "dossier is already running" in second.stdout
    assert running.address in second.stdout
    # A folder of evidence outside the cases folder, given to the second launch.
    folder = tmp_path / "Téléchargements" / "kettle photos"
    folder.mkdir(parents=True)
    status, _, _ = running.request("GET", f"/open?folder={quote(str(folder), safe='')}")
    assert status == 404
    second = subprocess.run(
        [sys.executable, "-m", "dossier", "app", "--no-browser", str(folder)],
        capture_output=True,
        text=True,
        env=running.environment,
        timeout=60,
    )
    address = re.search(r"http://127\.0\.0\.1:(\d+)(/open\?folder=\S+)&token=", second.stdout)
    assert address and int(address.group(1)) == running.port
    status, headers, _ = running.request("GET", address.group(2))
    assert status == 303
    case = re.match(r"http://127\.0\.0\.1:(\d+)/\?token=", headers["location"])
    assert case and int(case.group(1)) != running.port
    assert running.process.poll() is None


def test_a_stale_state_file_does_not_stop_a_new_start(start_app, tmp_path):
    """This test ensures that the file of a launcher that died is ignored: the app starts fresh."""
    cache = tmp_path / "cache" / "dossier"
    cache.mkdir(parents=True)
    (cache / "app.json").write_text(json.dumps({"port": 9, "secret": "old", "pid": 1}))
    app = start_app()
    assert app.port != 9
    assert json.loads((cache / "app.json").read_text())["port"] == app.port


def test_cases_made_on_the_home_page_each_get_their_own_page(start_app, tmp_path):
    """This test ensures that two cases open on two ports, and a file sent to one lands in its folder only."""
    app = start_app()
    ports = {}
    for name in ("Kettle", "Parcel"):
        status, _, body = app.request("POST", "/cases", json.dumps({"name": name}).encode())
        assert status == 200, body
        address = json.loads(body)["address"]
        ports[name] = int(re.match(r"http://127\.0\.0\.1:(\d+)/", address).group(1))
        token = address.split("token=")[1]
        connection = http.client.HTTPConnection("127.0.0.1", ports[name], timeout=30)
        host = f"127.0.0.1:{ports[name]}"
        connection.request("GET", f"/?token={token}", headers={"Host": host})
        response = connection.getresponse()
        response.read()
        assert response.status == 303
        cookie = response.getheader("set-cookie").split(";")[0]
        if name == "Kettle":
            connection.request(
                "POST",
                "/upload?name=kettle.jpg",
                body=PHOTO.read_bytes(),
                headers={
                    "Host": host,
                    "Cookie": cookie,
                    "Origin": f"http://{host}",
                    "X-CSRF-Token": csrf_token(token),
                },
            )
            answer = connection.getresponse()
            assert answer.status == 200, answer.read()
            answer.read()
        connection.request("GET", "/", headers={"Host": host, "Cookie": cookie})
        page = connection.getresponse().read().decode()
        connection.close()
        # Every page of a case links back to the home page of the cases.
        assert f'<a href="http://127.0.0.1:{app.port}/">' in page
    assert ports["Kettle"] != ports["Parcel"] != app.port
    dossiers = tmp_path / "Dossiers"
    assert sorted(p.name for p in (dossiers / "Kettle").iterdir()) == ["case.toml", "kettle.jpg"]
    assert [p.name for p in (dossiers / "Parcel").iterdir()] == ["case.toml"]
    _, _, home = app.request("GET", "/?language=en")
    assert re.search(r">Kettle</a>\s*<span class=\"small\">1 file\s", home.decode())


def test_the_app_stops_by_itself_when_no_page_is_left(start_app):
    """This test ensures that with no page asking anything for the set time, the program ends and removes its file."""
    app = start_app("--stop-after", "2")
    app.request("GET", "/alive")
    started = time.monotonic()
    assert app.process.wait(30) == 0
    assert time.monotonic() - started >= 2
    app._reader.join(5)
    assert "Stopped." in "".join(app.output)
    assert not (app.cache / "app.json").exists()


def test_the_stop_button_ends_the_program(start_app):
    """This test ensures that the home page's Stop ends the program and every case it opened."""
    app = start_app()
    _, _, body = app.request("POST", "/cases", json.dumps({"name": "Kettle"}).encode())
    case_port = int(re.match(r"http://127\.0\.0\.1:(\d+)/", json.loads(body)["address"]).group(1))
    status, _, body = app.request("POST", "/stop")
    assert status == 200 and json.loads(body) == {"stopped": True}
    assert app.process.wait(30) == 0
    with pytest.raises(OSError):
        http.client.HTTPConnection("127.0.0.1", case_port, timeout=3).connect()


def test_a_missing_folder_is_a_clear_error(tmp_path):
    """This test ensures that dossier app on a folder that is not there says so and starts nothing."""
    result = subprocess.run(
        [sys.executable, "-m", "dossier", "app", "--no-browser", str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {tmp_path / 'nowhere'}: no such folder;")
    assert "Traceback" not in result.stderr
    assert not state_path(tmp_path / "cache" / "dossier").exists()


# --- in a real browser, from the icon to the PDF -----------------------------------------

CASE_NAMES = {
    "fr": "Bouilloire Amazon",
    "nl": "Waterkoker Amazon",
    "de": "Wasserkocher Amazon",
    "en": "Kettle Amazon",
}


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_from_the_icon_to_a_downloaded_dossier(browser, start_app, tmp_path, language):
    """This test ensures that a person starting the app with no folder can make a case, add a photo, build and download it, with the keyboard on the home page, in each language."""
    from tests.test_web_browser import axe_violations, new_page, photo, shot

    app = start_app()
    context, page = new_page(browser, language)
    words = page_words(language)
    page.goto(f"{app.address}&language={language}")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("#running h1").inner_text() == words("home.title")
    assert page.locator(".empty").inner_text() == words("home.none")
    assert axe_violations(page) == []
    shot(page, f"app-{language}-0-home")

    # A name that cannot be a folder, typed and sent with the keyboard alone.
    page.locator("#case-name").focus()
    page.keyboard.type("../secret")
    page.keyboard.press("Enter")
    error = page.locator("#case-name-error")
    expect_text = words("home.name_errors.separator", name="../secret")
    page.wait_for_function(
        "(text) => document.getElementById('case-name-error').textContent === text", arg=expect_text
    )
    assert page.locator("#case-name").get_attribute("aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "case-name"
    assert axe_violations(page) == []
    assert error.inner_text() == expect_text
    assert not (tmp_path / "Dossiers").exists()

    # The right name: the case is made and its page opens, on a port of its own.
    page.keyboard.press("Control+A")
    page.keyboard.type(CASE_NAMES[language])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("#files", state="attached")
    case_origin = re.match(r"http://127\.0\.0\.1:\d+", page.url).group(0)
    assert case_origin != f"http://{app.host}"
    folder = tmp_path / "Dossiers" / CASE_NAMES[language]
    assert tomllib.loads((folder / "case.toml").read_text())["language"] == language

    # A photo, the build, the download.
    with page.expect_navigation():
        page.set_input_files("#files", str(photo(tmp_path / "parcel.jpg")))
    assert page.locator("li.exhibit").count() == 1
    assert (folder / "parcel.jpg").is_file()
    assert page.locator(".home-link a").inner_text() == words("home.all_cases")
    shot(page, f"app-{language}-2-case")
    page.goto(f"{case_origin}/build")
    page.click("#build")
    page.wait_for_selector("#result:not([hidden])", timeout=120_000)
    with page.expect_download() as download:
        page.click("#download-pdf")
    reader = PdfReader(Path(download.value.path()))
    text = "\n".join(pdf_page.extract_text() for pdf_page in reader.pages)
    assert "parcel.jpg" in text
    assert strings(language)["dossier_title"] in text

    # Back to the cases: the new one is listed with its file.
    with page.expect_navigation():
        page.click(f"a[href='http://{app.host}/']")
    case_link = page.locator("a.case-name")
    assert case_link.inner_text() == CASE_NAMES[language]
    assert words("home.files_one") in page.locator("#cases li").inner_text()
    assert axe_violations(page) == []
    shot(page, f"app-{language}-1-cases")

    # Stop, confirmed: the page says so and the program ends.
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#stop")
    page.wait_for_selector("#stopped:not([hidden])")
    assert page.locator("#stopped h1").inner_text() == words("home.stopped_title")
    assert app.process.wait(30) == 0
    context.close()


def test_stop_asks_first_and_a_no_keeps_it_running(browser, start_app):
    """This test ensures that the Stop button does nothing when the user answers no to its question."""
    from tests.test_web_browser import new_page

    app = start_app()
    context, page = new_page(browser, "en")
    page.goto(f"{app.address}&language=en")
    asked = []

    def answer(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", answer)
    page.click("#stop")
    assert asked == [page_words("en")("home.stop_confirm")]
    assert page.locator("#running").is_visible()
    time.sleep(1)
    assert app.process.poll() is None
    assert app.request("GET", "/alive")[0] == 200
    context.close()


def test_readme_pictures_of_the_home_page_exist_and_stay_small():
    """This test ensures that the README's pictures of dossier app are there, made by the browser script, and light."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"\]\((docs/images/app-[^)]+\.png)\)", readme)
    assert sorted(shown) == [
        "docs/images/app-en-2-case.png",
        "docs/images/app-fr-0-home.png",
        "docs/images/app-fr-1-cases.png",
    ]
    script = (ROOT / "scripts" / "web_screenshots.sh").read_text(encoding="utf-8")
    for name in shown:
        assert Path(name).stem in script
    assert sum((ROOT / name).stat().st_size for name in shown) < 250 * 1024


def test_a_page_left_open_after_the_program_stopped_says_what_to_do(browser, start_app):
    """This test ensures that a home page whose program stopped by itself says so in its language when used, not a browser error."""
    from tests.test_web_browser import new_page

    app = start_app("--stop-after", "2")
    context, page = new_page(browser, "nl")
    page.goto(f"{app.address}&language=nl")
    assert app.process.wait(30) == 0
    page.fill("#case-name", "Waterkoker")
    page.press("#case-name", "Enter")
    page.wait_for_function("document.getElementById('case-name-error').textContent !== ''")
    assert page.locator("#case-name-error").inner_text() == page_words("nl")("home.unreachable")
    context.close()


def test_an_idle_launcher_waits_for_a_build_under_way(tmp_path):
    """This test ensures that the idle stop never cuts a build short: it waits until no case is building."""
    launcher = Launcher(8771, tmp_path / "Dossiers", cache=tmp_path / "cache", idle_stop=0.2)
    state = types.SimpleNamespace(status="running")
    site = types.SimpleNamespace(builder=types.SimpleNamespace(state=state))
    launcher.cases[tmp_path] = _Case(tmp_path, 1, "s", None, None, site)
    listener = listen(0)

    async def scenario():
        runner = asyncio.create_task(launcher.run(listener))
        await asyncio.sleep(1.5)
        still_running = not runner.done() and not launcher.stopping
        launcher.cases.clear()  # the build finished and its case is closed
        await asyncio.wait_for(runner, 10)
        return still_running

    # A thread of its own: the browser tests' driver may hold this thread's event loop.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        assert pool.submit(asyncio.run, scenario()).result(30) is True
    assert launcher.stopping


def test_without_a_console_the_app_writes_what_it_says_to_a_log(tmp_path, monkeypatch):
    """This test ensures that dossier-app started with no console (Windows' pythonw) keeps its error in app.log, not lost."""
    from dossier.cli import serve

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    monkeypatch.setattr(sys, "argv", ["dossier-app", "--no-browser", str(tmp_path / "nowhere")])
    with pytest.raises(SystemExit) as ended:
        serve.app_main()
    log = sys.stderr
    assert ended.value.code == 2
    assert log is sys.stdout and not log.closed
    log.close()
    text = (tmp_path / "cache" / "dossier" / "app.log").read_text(encoding="utf-8")
    assert text.startswith(f"error: {tmp_path / 'nowhere'}: no such folder;")
