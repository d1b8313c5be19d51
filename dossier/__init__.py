"""dossier: one ordered, indexed, paginated PDF from a folder of evidence.

The public surface is small: ``build`` and ``plan`` with ``BuildOptions``;
everything else is an implementation detail of the pipeline.
"""

# The one place the version is written: pyproject.toml reads it from here.
# (Asking importlib.metadata at run time costs a tenth of a second at every start.)
__version__ = "0.1.0"

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
