"""PDF pages that draw themselves: a form XObject (or pattern) that contains itself.

A viewer draws such a form inside itself without end: PDFium and poppler
take gigabytes and abort. A page with one cannot be shown, so it is left
out of the dossier with a reason; the rest of the document is kept.
"""

from __future__ import annotations

from pypdf import PageObject
from pypdf.generic import DictionaryObject, IndirectObject

# Forms nested deeper than this are treated as drawing themselves: no real
# document nests its forms this deep, and the walk stays bounded.
MAX_DEPTH = 64
# Resources (forms and patterns) looked at per page, at most.
MAX_VISITS = 10_000
_DRAWN = ("/XObject", "/Pattern")


def draws_itself(page: PageObject) -> bool:
    """Whether something the page draws contains itself, or nests beyond ``MAX_DEPTH``."""
    visits = [0]
    return _recurses(page.get("/Resources"), (), visits)


def _recurses(resources: object, path: tuple[int, ...], visits: list[int]) -> bool:
    resources = _resolved(resources)
    if not isinstance(resources, DictionaryObject):
        return False
    if len(path) > MAX_DEPTH:
        return True
    for kind in _DRAWN:
        table = _resolved(resources.get(kind))
        if not isinstance(table, DictionaryObject):
            continue
        for reference in table.values():
            visits[0] += 1
            if visits[0] > MAX_VISITS:
                return True
            if not isinstance(reference, IndirectObject):
                continue  # a direct object cannot refer to itself
            if reference.idnum in path:
                return True
            target = _resolved(reference)
            if isinstance(target, DictionaryObject) and _recurses(
                target.get("/Resources"), (*path, reference.idnum), visits
            ):
                return True
    return False


def _resolved(value: object) -> object:
    return value.get_object() if isinstance(value, IndirectObject) else value
