"""dossier: one ordered, indexed, paginated PDF from a folder of evidence.

The public surface is small: ``build`` and ``plan`` with ``BuildOptions``;
everything else is an implementation detail of the pipeline.
"""

from dossier.api import build, plan
from dossier.errors import DossierError, ExitCode
from dossier.model import BuildOptions, BuildResult, Plan
from dossier.version import __version__

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
