"""Active content out of PDF exhibits: what a viewer would run or open, never what it shows.

An exhibit's pages go into the dossier to be read. Actions attached to them
(JavaScript, launching a program, submitting or importing form data, going
to another file, playing media) would run in the recipient's viewer under
the sender's name: every one is removed. Plain web links (``http``,
``https``, ``mailto``) stay, as links. Document-level actions never come
along, since only pages are imported; they are reported all the same.
"""

from __future__ import annotations

from collections.abc import Iterable

from pypdf import PageObject, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, NameObject

from dossier.i18n import M_, TechnicalDetail

# The schemes a kept link may open: a web page or a new mail, nothing local.
SAFE_SCHEMES = ("http://", "https://", "mailto:")
# Annotations that play, embed or open something.
_ACTIVE_ANNOTATIONS = frozenset(
    {"/RichMedia", "/Screen", "/Movie", "/Sound", "/FileAttachment", "/3D"}
)
# A field's actions can sit on any of its ancestors; a cycle must not hang the build.
_MAX_PARENTS = 32


def disarm_page(page: PageObject) -> set[str]:
    """Remove every action and active annotation from ``page``, in place.

    Only web links and form fields stay among the annotations (links to
    other pages of the original document would point to the wrong place);
    links lose every action but their URI, fields every action.

    Returns:
        What was removed, by name ("JavaScript", "Launch", "RichMedia", ...).
    """
    removed: set[str] = set()
    if "/AA" in page:
        removed |= _actions_in(page["/AA"], "/AA")
        del page[NameObject("/AA")]
    if "/Annots" not in page:
        return removed
    kept = ArrayObject()
    annotations = page["/Annots"].get_object()
    for reference in annotations if isinstance(annotations, ArrayObject) else []:
        annotation = reference.get_object()
        if not isinstance(annotation, DictionaryObject):
            continue
        subtype = annotation.get("/Subtype")
        if subtype in _ACTIVE_ANNOTATIONS:
            removed.add(str(subtype).lstrip("/"))
        elif subtype == "/Widget":
            removed |= _disarm_field(annotation)
            kept.append(reference)
        elif subtype == "/Link" and _web_link(annotation):
            removed |= _disarm_link(annotation)
            kept.append(reference)
        elif subtype == "/Link":
            removed |= _actions_in(annotation.get("/A"), "/A")
            removed |= _actions_in(annotation.get("/AA"), "/AA")
    page[NameObject("/Annots")] = kept
    return removed


def document_actions(reader: PdfReader) -> set[str]:
    """The actions of the document itself (opening, closing, named scripts), by name."""
    try:
        root = reader.trailer["/Root"].get_object()
        if not isinstance(root, DictionaryObject):
            return set()
        found = _actions_in(root.get("/OpenAction"), "/A") | _actions_in(root.get("/AA"), "/AA")
        names = root.get("/Names")
        names = names.get_object() if names is not None else None
        if isinstance(names, DictionaryObject) and "/JavaScript" in names:
            found.add("JavaScript")
        return found
    except Exception:  # a damaged catalogue holds nothing that comes along
        return set()


# Links to another place of the same document: removed too (they would point to
# the wrong page of the dossier), but nothing active, and so not worth a warning.
NAVIGATION = frozenset({"GoTo"})


def removed_warnings(removed: Iterable[str]) -> tuple[str, ...]:
    """The warning of an exhibit whose active content was removed; none for navigation only.

    The kinds are PDF's own names ("JavaScript", "Launch"): said in English only.
    """
    kinds = sorted(set(removed) - NAVIGATION)
    if not kinds:
        return ()
    return (
        M_(
            "active content removed{kinds}: the pages are shown, nothing in them runs or opens",
            kinds=TechnicalDetail(f" ({', '.join(kinds)})"),
        ),
    )


def _web_link(annotation: DictionaryObject) -> bool:
    action = annotation.get("/A")
    if action is None:
        return False
    action = action.get_object()
    if not isinstance(action, DictionaryObject) or action.get("/S") != "/URI":
        return False
    uri = str(action.get("/URI", "")).strip().lower()
    return uri.startswith(SAFE_SCHEMES)


def _disarm_link(annotation: DictionaryObject) -> set[str]:
    """Keep the link's URI and nothing it would run after or besides it."""
    action = annotation["/A"].get_object()
    assert isinstance(action, DictionaryObject)  # checked by _web_link
    removed = _actions_in(action.get("/Next"), "/Next")
    clean = DictionaryObject(
        {NameObject("/S"): NameObject("/URI"), NameObject("/URI"): action["/URI"]}
    )
    annotation[NameObject("/A")] = clean
    if "/AA" in annotation:
        removed |= _actions_in(annotation["/AA"], "/AA")
        del annotation[NameObject("/AA")]
    return removed


def _disarm_field(widget: DictionaryObject) -> set[str]:
    """A form field shows its value; its actions (on the widget or its parents) go."""
    removed: set[str] = set()
    node: DictionaryObject | None = widget
    for _ in range(_MAX_PARENTS):
        if node is None:
            break
        for key in ("/A", "/AA"):
            if key in node:
                removed |= _actions_in(node[key], key)
                del node[NameObject(key)]
        parent = node.get("/Parent")
        parent = parent.get_object() if parent is not None else None
        node = parent if isinstance(parent, DictionaryObject) else None
    return removed


def _actions_in(value: object, key: str, depth: int = 0) -> set[str]:
    """The names of the actions in an /A action (with its /Next chain) or an /AA table."""
    if value is None or depth > _MAX_PARENTS:
        return set()
    value = value.get_object() if hasattr(value, "get_object") else value
    if isinstance(value, ArrayObject):
        return set().union(*(_actions_in(item, "/A", depth + 1) for item in value))
    if not isinstance(value, DictionaryObject):
        return set()
    if key == "/AA":
        return set().union(*(_actions_in(item, "/A", depth + 1) for item in value.values()))
    kind = value.get("/S")
    found = {str(kind).lstrip("/")} if kind is not None else {"action"}
    return found | _actions_in(value.get("/Next"), "/Next", depth + 1)
