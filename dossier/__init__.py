"""dossier: one ordered, indexed, paginated PDF from a folder of evidence.

The public surface is small: ``build`` and ``plan`` with ``BuildOptions``;
everything else is an implementation detail of the pipeline.

The names are loaded on first use (PEP 562): ``dossier --version`` and
``dossier --help`` import this package and must not pay for the pipeline,
reportlab and pypdf they do not run.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from dossier.version import __version__

if TYPE_CHECKING:
    from dossier.api import build, plan
    from dossier.errors import DossierError, ExitCode
    from dossier.model import BuildOptions, BuildResult, Plan

# Each public name and the module that defines it.
_PUBLIC = {
    "BuildOptions": "dossier.model",
    "BuildResult": "dossier.model",
    "DossierError": "dossier.errors",
    "ExitCode": "dossier.errors",
    "Plan": "dossier.model",
    "build": "dossier.api",
    "plan": "dossier.api",
}

__all__ = [
    "BuildOptions",
    "BuildResult",
    "DossierError",
    "ExitCode",
    "Plan",
    "__version__",
    "build",
    "plan",
]


def __getattr__(name: str) -> Any:
    """Import a public name's module the first time the name is asked for."""
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'dossier' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
