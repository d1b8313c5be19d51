"""The version of dossier, in a module of its own: stages that record it import nothing else."""

# The one place the version is written: pyproject.toml reads it from here.
# (Asking importlib.metadata at run time costs a tenth of a second at every start.)
__version__ = "0.1.0"
