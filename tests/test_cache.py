"""The cache of per-file analyses: the same PDF with it or without it, and only new work done."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw

from dossier import api, cache
from dossier.billing import ocr
from dossier.cli import main
from tests.conftest import read_pdf
from tests.conftest_images import build_folder, camera_exif, save_jpeg
from tests.conftest_ocr import tesseract_or_skip


@pytest.fixture
def caches(monkeypatch: pytest.MonkeyPatch) -> list[cache.Cache]:
    """Every cache a build opens, to see what it computed and what it reused."""
    opened: list[cache.Cache] = []

    def opening(enabled: bool) -> cache.Cache | None:
        found = cache.Cache(cache.default_folder()) if enabled else None
        if found is not None:
            opened.append(found)
        return found

    monkeypatch.setattr(api, "open_cache", opening)
    return opened


def computed(caches: list[cache.Cache]) -> list[tuple[str, str]]:
    """What the builds since the last call analysed rather than took from the cache.

    The SHA-256 remembered by file state is left out: a file is only
    remembered once it was written more than a moment before it was hashed;
    so is the record of what each build was made from ("built").
    """
    done = sorted(
        entry
        for opened in caches
        for entry in opened.computed
        if entry[0] not in ("sha256", "built")
    )
    caches.clear()
    return done


def entries(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*.json") if path.is_file())


def scene(path: Path, seed: int, size: tuple[int, int], orientation: int = 1) -> Path:
    """A photo of its own scene: a gradient and a few shapes placed by ``seed``."""
    width, height = size
    picture = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(picture)
    for k in range(4):
        x, y = (seed * 97 + k * 131) % (width - 60), (seed * 53 + k * 71) % (height - 60)
        draw.ellipse((x, y, x + 50 + seed % 40, y + 40), fill=(40 * k, 200 - 30 * k, seed % 255))
    return save_jpeg(picture, path, camera_exif(orientation, gps=seed % 2 == 0))


def test_a_warm_build_writes_the_same_pdf_as_a_cold_one(
    copy_case, samples_dir: Path, tmp_path: Path, own_cache: Path, caches
):
    """This test ensures that the PDF is byte for byte the same with a cold, warm or no cache.

    The second build reads no file again: every analysis comes from the
    cache, the readings of the emails and the invoice PDF included.
    """
    folder = copy_case(samples_dir / "damaged-parcel")
    cold = build_folder(folder, tmp_path / "cold.pdf")
    stored = [
        p
        for p in entries(own_cache)
        if p.relative_to(own_cache).parts[0] not in ("sha256", "built")
    ]
    kinds = {path.relative_to(own_cache).parts[0] for path in stored}
    assert kinds == {"image", "near-duplicate", "jpeg", "reading"}
    photos = [p for p in folder.iterdir() if p.suffix == ".jpg"]
    others = [p for p in folder.iterdir() if p.suffix in (".eml", ".pdf")]
    assert len(others) == 3
    assert len(computed(caches)) == 3 * len(photos) + len(others)

    warm = build_folder(folder, tmp_path / "warm.pdf")
    assert computed(caches) == []
    assert set(stored) <= set(entries(own_cache))
    without = build_folder(folder, tmp_path / "without.pdf", cache=False)
    assert caches == []  # --no-cache opens none

    assert cold.output.read_bytes() == warm.output.read_bytes() == without.output.read_bytes()
    assert read_pdf(warm.output).outline == read_pdf(cold.output).outline


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: b"\x00\xff garbage", id="not-json"),
        pytest.param(
            lambda data: json.dumps(
                {"key": json.loads(data)["key"], "value": {"width": "wide"}}
            ).encode(),
            id="wrong-fields",
        ),
        pytest.param(lambda data: b"", id="empty"),
    ],
)
def test_a_damaged_entry_is_read_again_and_rewritten(
    copy_case, samples_dir: Path, tmp_path: Path, own_cache: Path, caches, damage
):
    """This test ensures that a corrupt cache entry is ignored, recomputed and stored anew."""
    folder = copy_case(samples_dir / "damaged-parcel")
    cold = build_folder(folder, tmp_path / "cold.pdf")
    stored = {path: path.read_bytes() for path in entries(own_cache)}
    for path, data in stored.items():
        path.write_bytes(damage(data))
    computed(caches)

    again = build_folder(folder, tmp_path / "again.pdf")
    assert again.output.read_bytes() == cold.output.read_bytes()
    analyses = [p for p in stored if p.relative_to(own_cache).parts[0] not in ("sha256", "built")]
    assert len(computed(caches)) == len(analyses) == 12
    assert {path: path.read_bytes() for path in entries(own_cache)}.items() >= {
        path: stored[path] for path in analyses
    }.items()


def test_adding_a_photo_analyses_that_photo_only(tmp_path: Path, own_cache: Path, caches):
    """This test ensures that a rebuild after one photo is added reads and hashes that photo alone."""
    folder = tmp_path / "case"
    folder.mkdir()
    sizes = [(640, 480), (480, 640), (800, 600), (600, 400), (720, 540)]
    for k, size in enumerate(sizes):
        scene(folder / f"IMG_20261030_10{k:02d}00.jpg", k + 1, size, orientation=(1, 6)[k % 2])
    build_folder(folder, tmp_path / "first.pdf")
    computed(caches)
    added = scene(folder / "PXL_20261031_090000000.jpg", 42, (900, 500), orientation=8)

    rebuilt = build_folder(folder, tmp_path / "second.pdf")
    from dossier.discover import file_sha256

    digest = file_sha256(added)
    assert computed(caches) == [("image", digest), ("jpeg", digest), ("near-duplicate", digest)]
    assert len(rebuilt.plan.exhibits) == len(sizes) + 1
    fresh = build_folder(folder, tmp_path / "fresh.pdf", cache=False)
    assert fresh.output.read_bytes() == rebuilt.output.read_bytes()


def test_a_second_ocr_build_runs_no_tesseract(
    copy_case, samples_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caches
):
    """This test ensures that the words read by OCR come from the cache: no Tesseract at all.

    For the second build Tesseract is made unavailable: any attempt to look
    for it or run it would fail the build.
    """
    tesseract_or_skip()
    folder = copy_case(samples_dir / "double-charge")
    cold = build_folder(folder, tmp_path / "cold.pdf", ocr=True)
    assert any(exhibit.amounts for exhibit in cold.plan.exhibits)
    screenshots = [e for e in cold.plan.exhibits if e.ocr is not None]
    assert screenshots

    def no_tesseract(*args, **kwargs):
        raise AssertionError("Tesseract was run")

    monkeypatch.setattr(ocr, "_run_tesseract", no_tesseract)
    monkeypatch.setattr(ocr, "_installed_languages", no_tesseract)
    computed(caches)
    warm = build_folder(folder, tmp_path / "warm.pdf", ocr=True)
    assert warm.output.read_bytes() == cold.output.read_bytes()
    assert computed(caches) == []
    assert [e.amounts for e in warm.plan.exhibits] == [e.amounts for e in cold.plan.exhibits]
    assert [e.ocr for e in warm.plan.exhibits] == [e.ocr for e in cold.plan.exhibits]


def test_no_cache_on_the_command_line_keeps_nothing(
    copy_case, samples_dir: Path, tmp_path: Path, own_cache: Path
):
    """This test ensures that --no-cache writes nothing to the cache, and without it list does."""
    folder = copy_case(samples_dir / "damaged-parcel")
    runner = CliRunner()
    built = runner.invoke(
        main, ["build", str(folder), "-o", str(tmp_path / "d.pdf"), "-q", "--no-cache"]
    )
    assert built.exit_code == 0, built.output
    listed = runner.invoke(main, ["list", str(folder), "--no-cache"])
    assert listed.exit_code == 0, listed.output
    assert entries(own_cache) == []
    listed = runner.invoke(main, ["list", str(folder)])
    assert listed.exit_code == 0, listed.output
    assert "IMG_20261030_101500.jpg" in listed.stdout
    assert entries(own_cache)


def test_a_cache_that_cannot_be_written_costs_nothing_but_time(
    copy_case, samples_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """This test ensures that a build succeeds, unchanged, when the cache folder cannot be made."""
    folder = copy_case(samples_dir / "damaged-parcel")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache would go")
    monkeypatch.setenv(cache.ENV_DIR, str(blocker / "cache"))
    blocked = build_folder(folder, tmp_path / "blocked.pdf")
    without = build_folder(folder, tmp_path / "without.pdf", cache=False)
    assert blocked.output.read_bytes() == without.output.read_bytes()
    assert blocker.read_text() == "a file where the cache would go"


def test_an_unchanged_file_is_not_hashed_again(
    tmp_path: Path, own_cache: Path, monkeypatch: pytest.MonkeyPatch
):
    """This test ensures that the SHA-256 comes from the cache only while the file is unchanged."""
    from dossier import discover, model

    monkeypatch.setattr(model, "_RACY_NS", 0)  # files written now count as settled
    note = tmp_path / "note.txt"
    note.write_text("Livraison attendue le 30 octobre, colis abîmé.\n")
    store = cache.Cache(own_cache)
    first = cache.fingerprint(note, tmp_path, store)
    assert first.sha256 == discover.file_sha256(note)
    hashed: list[Path] = []
    monkeypatch.setattr(discover, "file_sha256", lambda path: hashed.append(path) or "0" * 64)
    again = cache.fingerprint(note, tmp_path, store)
    assert again.sha256 == first.sha256 and hashed == []
    note.write_text("Levering verwacht op 30 oktober, pakket beschadigd.\n")
    changed = cache.fingerprint(note, tmp_path, store)
    assert hashed == [note] and changed.sha256 == "0" * 64


def test_the_least_recently_used_entries_go_first(tmp_path: Path):
    """This test ensures that the cache stays under its size limit, keeping what was used last."""
    store = cache.Cache(tmp_path / "c", max_bytes=3000)
    own = tmp_path / "c" / "notes.txt"  # a file of the user's in the folder they chose
    own.parent.mkdir()
    own.write_text("x" * 5000)
    os.utime(own, (0, 0))
    for k in range(10):
        store.store("hash", f"{k:064x}", "", {"payload": "x" * 400, "k": k})
    assert store.lookup("hash", f"{0:064x}", "", lambda data: data["k"]) == (0,)
    # Entry 0 was just used: older by modification time are 1, 2, ...

    now = time.time()
    for k in range(1, 10):
        path = next(
            p for p in entries(tmp_path / "c") if json.loads(p.read_text())["value"]["k"] == k
        )
        os.utime(path, (now - 100 + k, now - 100 + k))
    # A write cut short by a killed build, an hour old, and a fresh one.
    folder = entries(tmp_path / "c")[0].parent
    stale, fresh = folder / ".k1l3d_.tmp", folder / ".fr3sh_.tmp"
    stale.write_bytes(b"{")
    fresh.write_bytes(b"{")
    os.utime(stale, (now - 7200, now - 7200))
    user_temporary = tmp_path / "c" / ".draft_.tmp"
    user_temporary.write_text("the user's")
    os.utime(user_temporary, (0, 0))
    store.trim()
    assert not stale.exists() and fresh.exists() and user_temporary.exists()
    kept = sorted(json.loads(p.read_text())["value"]["k"] for p in entries(tmp_path / "c"))
    assert sum(p.stat().st_size for p in entries(tmp_path / "c")) <= 3000 * 0.8
    assert 0 in kept
    assert kept == [0, *range(10 - len(kept) + 1, 10)]
    assert len(kept) < 10
    assert own.read_text() == "x" * 5000


def test_entries_written_side_by_side_are_always_whole(tmp_path: Path):
    """This test ensures that readers never see half an entry while other threads write it."""
    store = cache.Cache(tmp_path / "c")
    value = {"words": ["mot"] * 20_000}
    seen: list[object] = []
    stop = threading.Event()

    def write() -> None:
        while not stop.is_set():
            store.store("ocr", "ab" * 32, "fr", value)

    def read() -> Iterator[None]:
        for _ in range(300):
            seen.append(store.lookup("ocr", "ab" * 32, "fr", lambda data: data))
        yield None

    writers = [threading.Thread(target=write) for _ in range(3)]
    for writer in writers:
        writer.start()
    try:
        list(read())
    finally:
        stop.set()
        for writer in writers:
            writer.join()
    assert all(found is None or found == (value,) for found in seen)
    assert (value,) in seen
    assert not list((tmp_path / "c").rglob("*.tmp"))


def test_the_key_holds_the_settings_and_the_code(tmp_path: Path):
    """This test ensures that another setting, file or version of the code is another entry."""
    store = cache.Cache(tmp_path / "c")
    store.store("ocr", "a" * 64, "fr|()", {"n": 1})
    assert store.lookup("ocr", "a" * 64, "fr|()", dict) == ({"n": 1},)
    assert store.lookup("ocr", "a" * 64, "nl|()", dict) is None
    assert store.lookup("ocr", "b" * 64, "fr|()", dict) is None
    assert store.lookup("image", "a" * 64, "fr|()", dict) is None
    assert len(cache.code_fingerprint()) == 64


def test_the_ocr_key_holds_tesseract_s_language_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """This test ensures that new language data for Tesseract reads the pictures again."""
    data = tmp_path / "tessdata"
    data.mkdir()
    monkeypatch.setenv("TESSDATA_PREFIX", str(data))
    (data / "nld.traineddata").write_bytes(b"model v1")
    (data / "eng.traineddata").write_bytes(b"english")

    def identity(language: str) -> str:
        ocr._language_data.cache_clear()
        return ocr.engine_identity(language)

    dutch = identity("nl")
    assert str(data / "nld.traineddata") in dutch and str(data / "eng.traineddata") in dutch
    assert str(data / "nld.traineddata") not in identity("fr")
    (data / "nld.traineddata").write_bytes(b"model v2, larger")
    assert identity("nl") != dutch
    ocr._language_data.cache_clear()


def test_watch_honours_no_cache(copy_case, samples_dir: Path, monkeypatch: pytest.MonkeyPatch):
    """This test ensures that dossier watch --no-cache builds with the cache off, and without it on."""
    from dossier import watch

    seen = []

    def fake_watch(options, report, stop, delay, progress=None, catch_all=True):
        seen.append(options.cache)

    monkeypatch.setattr(watch, "watch_folder", fake_watch)
    folder = copy_case(samples_dir / "damaged-parcel")
    for arguments in (["--no-cache"], []):
        result = CliRunner().invoke(main, ["watch", str(folder), "-q", *arguments])
        assert result.exit_code == 0, result.output
    assert seen == [False, True]


def page(folder: Path, pictures: Path | None, **options):
    from starlette.testclient import TestClient

    from dossier.web import create_app

    host = "127.0.0.1:8765"
    app = create_app(folder, "not-random", {host}, cache=pictures, **options)
    client = TestClient(app, base_url=f"http://{host}", follow_redirects=False)
    assert client.get("/?token=not-random").status_code == 303
    return client, app.app.state.site


def test_the_page_with_no_cache_keeps_no_reading(
    copy_case, samples_dir: Path, tmp_path: Path, own_cache: Path
):
    """This test ensures that the page of serve --no-cache lists and builds without the cache."""
    folder = copy_case(samples_dir / "damaged-parcel")
    client, site = page(folder, tmp_path / "pictures", use_cache=False)
    assert client.get("/").status_code == 200
    assert len(site.plan().exhibits) == 6
    site.builder.start()
    state = site.builder.wait(120)
    assert state.status == "done", state
    assert entries(own_cache) == []
    client, site = page(folder, tmp_path / "pictures")
    assert len(site.plan().exhibits) == 6
    assert {p.relative_to(own_cache).parts[0] for p in entries(own_cache)} >= {"image", "reading"}


def test_the_page_s_pictures_go_where_dossier_cache_dir_says(
    copy_case, samples_dir: Path, own_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """This test ensures that thumbnails follow DOSSIER_CACHE_DIR, else the user's cache folder."""
    from dossier.web import pictures

    folder = copy_case(samples_dir / "damaged-parcel")
    client, _site = page(folder, None)
    response = client.get("/thumbnail/IMG_20261030_101500.jpg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    assert len(list((own_cache / "pictures" / "thumbnails").glob("*.jpg"))) == 1
    monkeypatch.delenv(cache.ENV_DIR)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if os.name == "posix" and os.uname().sysname == "Linux":
        assert pictures.default_cache() == tmp_path / "xdg" / "dossier"


def test_serve_and_app_offer_no_cache_and_clean_their_pictures():
    """This test ensures that serve and app take --no-cache, whose pictures last as long as the page."""
    from dossier.cli import serve

    for command in ("serve", "app"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0 and "--no-cache" in result.output
    with serve._pictures_folder(no_cache=True) as folder:
        assert folder is not None and folder.is_dir()
        (folder / "thumbnails").mkdir()
    assert not folder.exists()
    with serve._pictures_folder(no_cache=False) as default:
        assert default is None


def test_kept_attachments_count_toward_the_limit(tmp_path: Path):
    """This test ensures that copies of attachments are trimmed like entries, oldest first."""
    store = cache.Cache(tmp_path / "c", max_bytes=5000)
    source = tmp_path / "bijlage.pdf"
    source.write_bytes(b"%PDF-1.4 " + b"x" * 3000)
    digest = "ab" * 32
    assert store.keep_file("attachment", digest, source)
    kept = store.kept_file("attachment", digest)
    assert kept is not None and kept.read_bytes() == source.read_bytes()
    old = time.time() - 1000
    os.utime(kept, (old, old))
    store.store("reading", "cd" * 32, "", {"payload": "y" * 3000})
    store.trim()
    assert store.kept_file("attachment", digest) is None
    assert store.lookup("reading", "cd" * 32, "", dict) is not None
    with pytest.raises(ValueError):
        store.kept_file("attachment", "../../etc/passwd")
