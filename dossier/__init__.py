"""dossier: one ordered, indexed, paginated PDF from a folder of evidence.

The public surface is small: ``build`` and ``plan`` with ``BuildOptions``;
everything else is an implementation detail of the pipeline.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("dossier")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"

from dossier.api import build, plan  # noqa: E402
from dossier.errors import DossierError, ExitCode  # noqa: E402
from dossier.model import BuildOptions, BuildResult, Plan  # noqa: E402

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
