#!/usr/bin/env bash
# Regenerates the pictures of the dossier serve page shown in the README
# (docs/images/serve-*.png and app-*.png): the browser tests of the whole journey
# (from the dossier icon's home page, and on the case's page), in French and in
# English, run in Debian's headless Chromium, keep a picture of each step.
# Usage: bash scripts/web_screenshots.sh   (PYTHON=... to choose the interpreter)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

DOSSIER_SCREENSHOTS="$scratch" "$python" -m pytest -q -p no:cacheprovider \
    "tests/test_web_browser.py::test_from_an_empty_folder_to_a_downloaded_dossier[fr]" \
    "tests/test_web_browser.py::test_from_an_empty_folder_to_a_downloaded_dossier[en]" \
    "tests/test_web_launcher.py::test_from_the_icon_to_a_downloaded_dossier[fr]" \
    "tests/test_web_launcher.py::test_from_the_icon_to_a_downloaded_dossier[en]"
# 256 colours: the page is flat colour and text, a quarter of the size.
"$python" - "$scratch" docs/images <<'PY'
import sys
from pathlib import Path
from PIL import Image

source, target = Path(sys.argv[1]), Path(sys.argv[2])
shots = {f"{name}.png": f"serve-{name}.png" for name in (
    "fr-2-evidence", "fr-3-picture", "fr-4-facts-error", "fr-5-built", "en-2-evidence"
)}
shots.update({f"{name}.png": f"{name}.png" for name in (
    "app-fr-0-home", "app-fr-1-cases", "app-en-2-case"
)})
for shot, name in shots.items():
    with Image.open(source / shot) as picture:
        picture.convert("RGB").quantize(256).save(target / name, optimize=True)
PY
du -ch docs/images/serve-*.png docs/images/app-*.png | tail -1
