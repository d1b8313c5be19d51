"""The letter's signature image: a file of the case folder, checked like every picture.

``[letter] signature`` names a file the letter draws and the manifest
records. Like every path of the case file it must stay inside the folder
(no absolute path, no ``..``, no link leading out), and like every picture
it must be a PNG or JPEG that decodes, within the pixel limit of the readers.
"""

from __future__ import annotations

import warnings
from pathlib import Path, PurePosixPath, PureWindowsPath

from PIL import Image, UnidentifiedImageError

from dossier.errors import CaseFileError
from dossier.i18n import M_

# The readers' limit for any picture; a signature needs far less.
MAX_PIXELS = 120_000_000
FORMATS = ("PNG", "JPEG")


def check_signature(case_file: Path, name: str) -> Path:
    """The signature image ``name`` of the case file at ``case_file``, checked.

    Returns:
        Its path inside the case folder.

    Raises:
        CaseFileError: the path leads out of the folder, is not a file, or is
            not a PNG or JPEG that can be read within the pixel limit.
    """
    key = f"{case_file.name}: letter.signature: {name!r}"
    folder = case_file.parent.resolve()
    given = PurePosixPath(name.replace("\\", "/"))
    if given.is_absolute() or PureWindowsPath(name).drive or ".." in given.parts:
        raise CaseFileError(
            M_(
                "{key} is outside the case folder; copy the image into the folder and "
                "give its path relative to the folder",
                key=key,
            )
        )
    path = folder / given
    if not path.resolve().is_relative_to(folder):
        raise CaseFileError(
            M_(
                "{key} is a link that leads out of the case folder; copy the image itself "
                "into the folder",
                key=key,
            )
        )
    if not path.is_file():
        raise CaseFileError(
            M_(
                "{key} is not a file in the folder; give the path of a PNG or JPEG image "
                "relative to the folder, or remove the key",
                key=key,
            )
        )
    _check_picture(path, key)
    return path


def _check_picture(path: Path, key: str) -> None:
    problem: str | None = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                width, height = image.size
                if image.format not in FORMATS:
                    problem = M_(
                        "{key} is a {format} image, not a PNG or JPEG", key=key, format=image.format
                    )
                elif width * height > MAX_PIXELS:
                    problem = _too_large(key)
                else:
                    image.load()
    except Image.DecompressionBombError:
        problem = _too_large(key)
    except UnidentifiedImageError:
        problem = M_("{key} is not a PNG or JPEG image", key=key)
    except (OSError, ValueError, SyntaxError, EOFError):
        problem = M_("{key} is a damaged image", key=key)
    if problem is not None:
        advice = M_("{problem}; save the signature as a small PNG or JPEG", problem=problem)
        raise CaseFileError(advice)


def _too_large(key: str) -> str:
    return M_("{key} is larger than {count} megapixels", key=key, count=MAX_PIXELS // 1_000_000)
