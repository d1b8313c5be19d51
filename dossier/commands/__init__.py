"""Commands of the ``dossier`` command line that live in their own module."""
