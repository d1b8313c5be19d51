"""Commands of the ``dossier`` command line that live in their own module.

``dossier.cli`` holds the ``dossier`` group and registers these commands on
it; ``common`` holds the options and the error handling every command shares.
"""
