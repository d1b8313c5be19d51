"""The index and "not included" pages: counted without drawing, then drawn once.

The index prints each exhibit's first page, which depends on how many pages
the index takes; its pages are counted in drafts that draw nothing, and only
the last one is drawn. The drafts must break the pages exactly as the drawing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from dossier import api
from dossier.layout.front import CellCache, render_front
from dossier.layout.style import page_style, strings
from dossier.model import BuildOptions, Plan
from tests.conftest import CORPUS, NOW


@pytest.fixture(scope="module")
def corpus_plan() -> Plan:
    """Every file of the corpus: enough exhibits for several index pages, and rejections."""
    return api.plan(BuildOptions(folder=CORPUS, skip_unreadable=True, now=NOW))


def test_counting_draws_nothing_and_breaks_pages_as_the_drawing(corpus_plan, tmp_path):
    """This test ensures that counting the front pages writes nothing and breaks as drawing.

    Same pages and row positions as the drawing, with or without the drafts' cells.
    """
    plan = corpus_plan
    first_pages = {exhibit.page_key: 20 + k for k, exhibit in enumerate(plan.exhibits)}
    words = strings(plan.case.language)

    def front(out: Path | None, cache: CellCache | None):
        return render_front(plan, first_pages, 400, page_style(), words, NOW, out, cell_cache=cache)

    cache: CellCache = {}
    counted = front(None, cache)
    assert list(tmp_path.iterdir()) == []
    drawn = front(tmp_path / "drawn.pdf", cache)
    fresh = front(tmp_path / "fresh.pdf", None)
    assert counted == drawn == fresh
    assert (tmp_path / "drawn.pdf").read_bytes() == (tmp_path / "fresh.pdf").read_bytes()

    pages = PdfReader(tmp_path / "drawn.pdf").pages
    assert len(pages) == drawn.page_count >= 3
    assert drawn.not_included_page is not None and drawn.not_included_page < drawn.page_count
    assert [link.exhibit_number for link in drawn.links] == list(first_pages)
    text = "\n".join(page.extract_text() for page in pages)
    on_index = "\n".join(pages[k].extract_text() for k in range(drawn.not_included_page))
    for link in drawn.links:
        page_text = pages[link.page_index].extract_text()
        assert str(first_pages[link.exhibit_number]) in page_text
    for rejection in plan.rejections:
        assert rejection.relpath.rsplit("/", 1)[-1][:12] in text
    assert words["not_included_title"] not in on_index
