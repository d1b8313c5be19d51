#!/usr/bin/env bash
# Updates the command line's catalogs after its English messages changed:
# extract them from the code (dossier/i18n/dossier.pot), merge them into each
# language's .po, and compile the .mo files the command line reads.
# Translate the new or fuzzy entries in the .po files, then run it again.
# Usage: bash scripts/catalogs.sh [--compile-only]
set -euo pipefail
cd "$(dirname "$0")/.."
catalogs=dossier/i18n
pybabel=.venv/bin/pybabel
if [ "${1:-}" != "--compile-only" ]; then
    "$pybabel" extract -F "$catalogs/babel.cfg" -k N_plural:1,2 -k M_ -k MN_:1,2 --no-location --sort-output \
        --project dossier --copyright-holder "the dossier authors" \
        -o "$catalogs/dossier.pot" .
    for language in fr nl de; do
        if [ -f "$catalogs/$language/LC_MESSAGES/dossier.po" ]; then
            "$pybabel" update -D dossier -d "$catalogs" -l "$language" \
                -i "$catalogs/dossier.pot" --no-fuzzy-matching --ignore-obsolete
        else
            "$pybabel" init -D dossier -d "$catalogs" -l "$language" -i "$catalogs/dossier.pot"
        fi
    done
fi
"$pybabel" compile -D dossier -d "$catalogs" --statistics
