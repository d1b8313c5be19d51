"""``dossier serve``: the case in a browser, on this computer only.

The page is a thin layer over ``dossier.api``, like the command line: the
folder and its ``case.toml`` are the state, and every route checks the
request (``security.Guard``) before it reads or writes anything.
"""

from dossier.web.app import create_app
from dossier.web.security import new_secret

__all__ = ["create_app", "new_secret"]
