"""The ``dossier`` command line: its commands, and what they print."""

from dossier.cli.commands import main, plan_as_json
from dossier.cli.common import reported_errors

__all__ = ["main", "plan_as_json", "reported_errors"]
