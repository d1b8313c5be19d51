"""The package's import graph: no cycles, and each stage depends only on earlier ones.

Imports are read from the source (every ``import``, at the top, inside
functions and under ``TYPE_CHECKING``): a cycle hidden in a function or a
type annotation still ties two stages together.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import dossier

PACKAGE = Path(dossier.__file__).parent


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imported(module: str, path: Path) -> Iterator[str]:
    """The package's modules that ``module`` imports, anywhere in its source."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name in MODULES)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[: None if is_package else -1]
                base = base[: len(base) - node.level + 1]
                origin = ".".join([*base, *([node.module] if node.module else [])])
            else:
                origin = node.module or ""
            for alias in node.names:
                # ``from dossier import api`` imports the module, not the package's own code.
                submodule = f"{origin}.{alias.name}"
                name = submodule if submodule in MODULES else origin
                if name in MODULES and name != module:
                    yield name


GRAPH = {module: set(_imported(module, path)) for module, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read():
    """This test ensures that the graph below is the real one (the checks are not vacuous)."""
    assert len(MODULES) > 60
    assert "dossier.model" in GRAPH["dossier.api"]
    assert "dossier.readers.library_warnings" in GRAPH["dossier.readers.pdf"]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_in_the_package():
    """This test ensures that no two modules of the package import each other, even indirectly."""
    assert _cycles(GRAPH) == []


def _depends_on(module: str, prefixes: tuple[str, ...]) -> set[str]:
    return {name for name in GRAPH[module] if name.startswith(prefixes)}


def test_the_library_does_not_depend_on_its_front_ends():
    """This test ensures that the pipeline never imports the command line or the web page."""
    front_ends = ("dossier.cli", "dossier.web")
    library = [m for m in GRAPH if not m.startswith(front_ends) and m != "dossier.__main__"]
    offenders = {m: _depends_on(m, front_ends) for m in library if _depends_on(m, front_ends)}
    assert offenders == {}


def test_the_model_depends_on_no_stage():
    """This test ensures that the exhibit model is a leaf every stage can import."""
    assert GRAPH["dossier.model"] <= {"dossier.case.facts"}


def test_readers_do_not_draw_pages():
    """This test ensures that reading a file never depends on page drawing or PDF writing."""
    drawing = ("dossier.layout", "dossier.pdf.compose", "dossier.pdf.assemble", "dossier.pdf.seal")
    readers = [m for m in GRAPH if m.startswith("dossier.readers")]
    offenders = {m: _depends_on(m, drawing) for m in readers if _depends_on(m, drawing)}
    assert offenders == {}
