"""An email body as blocks a page can lay out: paragraphs, lists, tables, pictures.

HTML is parsed with BeautifulSoup (the standard library's ``html.parser``
underneath, which accepts the broken markup mail programs write). Nothing is
ever fetched: a remote picture is shown by its alternative text, a ``cid:``
picture from the message itself is drawn where it stands.

Tables are the hard part. Marketing and order-confirmation mails nest tables
to lay out the page; only the innermost tables with several columns hold data
(items, quantities, prices). Those are kept as tables; the layout tables
around them are read as a sequence of blocks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from bs4 import BeautifulSoup
from bs4.element import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

from dossier.model import BodyBlock

# What a reader never sees in a mail program.
_SKIPPED = frozenset(
    {"script", "style", "head", "title", "noscript", "template", "svg", "object", "iframe", "meta"}
)
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "aside",
        "nav",
        "center",
        "address",
        "dl",
        "dt",
        "dd",
        "form",
        "fieldset",
        "figure",
        "figcaption",
        "body",
        "html",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
    }
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_INVISIBLE_CHARS = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u034f\u00ad"), None)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# A data table's cell is short; a longer one is page layout holding text.
_MAX_CELL_CHARS = 400
_SKIPPED_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)


def html_blocks(html: str, images: Mapping[str, bytes]) -> tuple[list[BodyBlock], set[str]]:
    """The blocks of an HTML body, and the ``cid:`` pictures it drew.

    ``images`` maps Content-IDs (without angle brackets) to the picture's bytes.
    """
    soup = BeautifulSoup(html, "html.parser")
    walker = _Walker(images)
    walker.walk(soup)
    walker.flush()
    return _tidy(walker.blocks), walker.used


def text_blocks(text: str) -> list[BodyBlock]:
    """The blocks of a plain-text body: paragraphs at blank lines, quoted lines as quotes."""
    blocks = []
    for chunk in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        chunk = chunk.strip("\n").translate(_INVISIBLE_CHARS)
        if not chunk.strip():
            continue
        lines = chunk.splitlines()
        quoted = all(line.startswith(">") for line in lines)
        blocks.append(BodyBlock("quote" if quoted else "paragraph", chunk.rstrip()))
    return blocks


def blocks_text(blocks: Iterable[BodyBlock]) -> str:
    """The body as plain text: table rows as cells separated by two spaces."""
    parts = []
    for block in blocks:
        if block.kind == "table":
            parts.append("\n".join(table_row_text(row) for row in block.rows))
        elif block.kind in ("forwarded", "returned"):
            fields = "\n".join(f"{name} {value}" for name, value in block.rows)
            parts.append(f"{block.text}\n{fields}".strip())
        elif block.text and block.kind != "image":
            parts.append(block.text)
    return "\n\n".join(parts).strip()


def table_row_text(row: Iterable[str]) -> str:
    """One table row as text: "item  qty  price", then any further lines of its cells.

    A cell's first line stays in the row; the lines below it (a seller under
    the item's name) follow on lines of their own, so that each line reads on
    its own.
    """
    cells = [[" ".join(line.split()) for line in cell.splitlines()] for cell in row]
    cells = [[line for line in cell if line] for cell in cells]
    first = "  ".join(cell[0] for cell in cells if cell)
    rest = [line for cell in cells for line in cell[1:]]
    return "\n".join([first, *rest])


class _Walker:
    """Walks the HTML tree, gathering inline text into blocks."""

    def __init__(self, images: Mapping[str, bytes], in_cell: bool = False) -> None:
        self.images = images
        self.in_cell = in_cell
        self.blocks: list[BodyBlock] = []
        self.used: set[str] = set()
        self.inline: list[str] = []
        self.quote_depth = 0

    def flush(self, kind: str = "paragraph", prefix: str = "") -> None:
        """End the current block of inline text."""
        text = _collapse("".join(self.inline))
        self.inline = []
        if not text:
            return
        if kind == "paragraph" and self.quote_depth:
            kind = "quote"
        self.blocks.append(BodyBlock(kind, prefix + text))

    def walk(self, node: Tag) -> None:
        """Read the children of ``node`` in order."""
        for child in node.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, _SKIPPED_STRINGS):
                    self.inline.append(re.sub(r"\s+", " ", str(child)))
            elif isinstance(child, Tag):
                self.element(child)

    def element(self, tag: Tag) -> None:
        """Read one element according to what it is."""
        name = tag.name.lower()
        if name in _SKIPPED or _is_hidden(tag):
            return
        if name == "br":
            self.inline.append("\n")
        elif name == "a":
            self.link(tag)
        elif name == "img":
            self.picture(tag)
        elif name == "table":
            self.table(tag)
        elif name == "li":
            self.flush()
            self.walk(tag)
            self.flush("item", _item_marker(tag))
        elif name in _HEADINGS:
            self.flush()
            self.walk(tag)
            self.flush("heading")
        elif name == "blockquote":
            self.flush()
            self.quote_depth += 1
            self.walk(tag)
            self.flush()
            self.quote_depth -= 1
        elif name in ("pre", "xmp", "plaintext"):
            self.flush()
            text = tag.get_text().translate(_INVISIBLE_CHARS).strip("\n")
            if text.strip():
                self.blocks.append(BodyBlock("pre", text))
        elif name == "hr":
            self.flush()
            self.blocks.append(BodyBlock("rule"))
        elif name in _BLOCKS or name in ("ul", "ol"):
            self.flush()
            self.walk(tag)
            self.flush()
        else:
            self.walk(tag)

    def link(self, tag: Tag) -> None:
        """The link's text, then its target in brackets, so paper keeps it."""
        start = len(self.inline)
        self.walk(tag)
        shown = _collapse("".join(self.inline[start:]))
        href = str(tag.get("href") or "").strip()
        if not re.match(r"(?i)(https?|mailto|tel):", href):
            return
        target = href[7:] if href.lower().startswith("mailto:") else href
        if target and target not in shown:
            self.inline.append(f" ({href})" if shown else href)

    def picture(self, tag: Tag) -> None:
        """A ``cid:`` picture where it stands; a remote one by its alternative text."""
        src = str(tag.get("src") or "").strip()
        alt = " ".join(str(tag.get("alt") or "").split())
        if src.lower().startswith("cid:") and not self.in_cell:
            cid = src[4:].strip("<>")
            data = self.images.get(cid)
            if data is not None:
                self.flush()
                self.blocks.append(BodyBlock("image", alt, image=data))
                self.used.add(cid)
                return
        if alt:
            self.inline.append(f" [{alt}] ")

    def table(self, tag: Tag) -> None:
        """A data table as a table; a layout table as the blocks it holds."""
        self.flush()
        rows = _own_rows(tag)
        if tag.find("table") is None and rows:
            cells = [[_cell_text(cell, self.images) for cell in row] for row in rows]
            table = _data_table(cells)
            if table and len(table[0]) > 1:
                self.blocks.append(BodyBlock("table", rows=table))
                return
            if table is None:  # cells of running text: one line per row
                for row in cells:
                    self.inline.append(table_row_text(row))
                    self.flush()
                return
        # A single column or nested tables: page layout, read as blocks.
        self.walk(tag)
        self.flush()


def _own_rows(table: Tag) -> list[list[Tag]]:
    rows = []
    for row in table.find_all("tr"):
        if row.find_parent("table") is not table:
            continue
        cells = [c for c in row.find_all(["td", "th"]) if c.find_parent("tr") is row]
        if cells and not any(_is_hidden(c) for c in cells[:1]):
            rows.append(cells)
    return rows


def _cell_text(cell: Tag, images: Mapping[str, bytes]) -> str:
    walker = _Walker(images, in_cell=True)
    walker.walk(cell)
    walker.flush()
    return "\n".join(block.text for block in walker.blocks if block.text)


def _data_table(cells: list[list[str]]) -> tuple[tuple[str, ...], ...] | None:
    """The rows without empty rows and spacer columns; None when it is not data."""
    rows = [row for row in cells if any(cell.strip() for cell in row)]
    if not rows:
        return ()
    if any(len(cell) > _MAX_CELL_CHARS for row in rows for cell in row):
        return None
    width = max(len(row) for row in rows)
    padded = [row + [""] * (width - len(row)) for row in rows]
    kept = [i for i in range(width) if any(row[i].strip() for row in padded)]
    return tuple(tuple(row[i] for i in kept) for row in padded)


def _item_marker(tag: Tag) -> str:
    parent = tag.find_parent(["ul", "ol"])
    if parent is None or parent.name != "ol":
        return "• "
    siblings = [li for li in parent.find_all("li") if li.find_parent(["ul", "ol"]) is parent]
    try:
        start = int(str(parent.get("start") or 1))
    except ValueError:
        start = 1
    return f"{start + siblings.index(tag)}. "


def _is_hidden(tag: Tag) -> bool:
    if tag.attrs is None:
        return False
    style = str(tag.get("style") or "")
    return bool(_HIDDEN_STYLE.search(style)) or tag.has_attr("hidden")


def _collapse(text: str) -> str:
    text = text.translate(_INVISIBLE_CHARS)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _tidy(blocks: list[BodyBlock]) -> list[BodyBlock]:
    """Drop repeated rules and empty tables."""
    tidy: list[BodyBlock] = []
    for block in blocks:
        if block.kind == "table" and not block.rows:
            continue
        if block.kind == "rule" and (not tidy or tidy[-1].kind == "rule"):
            continue
        tidy.append(block)
    while tidy and tidy[-1].kind == "rule":
        tidy.pop()
    return tidy
