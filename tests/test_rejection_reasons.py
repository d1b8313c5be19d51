"""The "not included" page speaks to the recipient, in the dossier's language."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from dossier import BuildOptions, build
from dossier.layout.style import strings
from tests.conftest import NOW
from tests.conftest_trust import CORPUS

pytestmark = pytest.mark.corpus

# What a recipient must never read there: a library's words, advice for the user.
NEVER = (
    "OLE FAT",
    "startxref",
    "Stream has ended",
    "Truncated File Read",
    "is truncated",
    "move it out",
    "case.toml",
    "download it again",
    "megapixels",
)
EXPECTED = {
    "derived_zero-bytes.pdf": "empty",
    "derived_truncated-50pct__sample-files__pdflatex-4-pages.pdf": "damaged",
    "ocrmypdf__invalid.pdf": "damaged",
    "derived_truncated-4096B__bbottema__simple_sent.msg": "damaged",
    "paperless-ngx__broken.eml": "no_headers",
    "pillow__decompression_bomb.gif": "too_large",
    "pillow__truncated_jpeg.jpg": "damaged",
    "pillow_heif__empty.heic": "empty",
}


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_files_left_out_are_named_with_a_reason_for_the_recipient(language, tmp_path: Path):
    """This test ensures each left-out file gets its kind of problem in the dossier's language.

    The corpus's damaged files are built in each language: the page and the
    manifest's ``reason`` carry the translated reason, the manifest's
    ``reason_detail`` keeps the reader's own words.
    """
    folder = tmp_path / "case"
    shutil.copytree(CORPUS / "bad", folder)
    (folder / "case.toml").write_text(f'language = "{language}"\n', encoding="utf-8")
    output = tmp_path / "dossier.pdf"
    result = build(BuildOptions(folder=folder, output=output, skip_unreadable=True, now=NOW))
    words = strings(language)
    pages = [page.extract_text() for page in PdfReader(output).pages]
    start = next(i for i, text in enumerate(pages) if words["not_included_title"] in text)
    listing = re.sub(r"\s+", " ", " ".join(pages[start : start + 2]))
    for never in NEVER:
        assert never not in listing, never
    if language != "en":
        for category in set(EXPECTED.values()):
            assert strings("en")[f"not_included.{category}"] not in listing
    manifest = json.loads(output.with_name("dossier.manifest.json").read_text(encoding="utf-8"))
    entries = {entry["path"]: entry for entry in manifest["files"]}
    for name, category in EXPECTED.items():
        shown = words[f"not_included.{category}"]
        assert re.sub(r"\s+", " ", shown) in listing, (name, shown)
        assert entries[name]["reason"] == shown
        assert entries[name]["reason_detail"]  # the reader's words, for the user
    assert {r.relpath for r in result.plan.rejections} >= set(EXPECTED)
