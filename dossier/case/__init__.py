"""The case file, ``case.toml``: loading and checking it, its facts, and what the evidence adds."""
