"""Every value of the case file has a range: a value outside it is a case-file error, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from dossier.cli import main

PHOTO = "IMG_20261030_101500.jpg"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        pytest.param(
            "[letter]\ndate = 0001-01-01\n",
            "letter.date: 0001-01-01 is out of range",
            id="letter-date-year-1",
        ),
        pytest.param(
            "[letter]\ndate = 9999-12-31\n",
            "letter.date: 9999-12-31 is out of range",
            id="letter-date-year-9999",
        ),
        pytest.param(
            f'[exhibits."{PHOTO}"]\ndate = 0001-01-01T00:00:00\n',
            f'exhibits."{PHOTO}".date: 0001-01-01 00:00:00 is out of range',
            id="exhibit-date-year-1",
        ),
        pytest.param(
            f'[exhibits."{PHOTO}"]\ndate = 9999-12-31T23:59:59\n',
            f'exhibits."{PHOTO}".date: 9999-12-31 23:59:59 is out of range',
            id="exhibit-date-year-9999",
        ),
        pytest.param(
            '[order]\nnumber = "402-1234567-1234567"\n[[order.items]]\ntitle = "Lamp"\n'
            'quantity = 9223372036854775807\nunit_price = "99999999999999999999.99"\n',
            "order.items[1].quantity: 9223372036854775807 is out of range",
            id="item-quantity",
        ),
        pytest.param(
            '[order]\nnumber = "402-1234567-1234567"\n[[order.items]]\ntitle = "Lamp"\n'
            'unit_price = "99999999999999999999.99"\n',
            "order.items[1].unit_price: '99999999999999999999.99' is out of range",
            id="item-price",
        ),
        pytest.param(
            f'[exhibits."{PHOTO}"]\nredact = [["nan%", 0, 10, 10]]\n',
            f"exhibits.\"{PHOTO}\".redact[0]: 'nan%' is not a number of pixels or a percentage",
            id="redact-nan",
        ),
        pytest.param(
            f'[exhibits."{PHOTO}"]\nredact = [[inf, 0, 10, 10]]\n',
            f'exhibits."{PHOTO}".redact[0]: inf is not a number of pixels or a percentage',
            id="redact-inf",
        ),
        pytest.param(
            f'[exhibits."{PHOTO}"]\namounts = [{{ amount = "-99999999999999999999999" }}]\n',
            f"exhibits.\"{PHOTO}\".amounts[1].amount: '-99999999999999999999999' is out of range",
            id="given-amount",
        ),
        pytest.param(
            f'[exhibits."{PHOTO}"]\norder = 9223372036854775807\n',
            f'exhibits."{PHOTO}".order: 9223372036854775807 is out of range',
            id="order",
        ),
    ],
)
def test_out_of_range_values_name_the_key(tmp_path: Path, toml: str, message: str) -> None:
    """This test ensures that an extreme value gives exit 4 and names the key, in list and build."""
    folder = tmp_path / "case"
    folder.mkdir()
    Image.new("RGB", (64, 48), "navy").save(folder / PHOTO)
    (folder / "case.toml").write_text(toml, encoding="utf-8")
    for command in ("list", "build"):
        result = CliRunner().invoke(main, [command, str(folder)])
        assert result.exit_code == 4, (command, result.output)
        assert f"case.toml: {message}" in result.stderr, result.stderr


def test_caption_longer_than_the_limit_is_refused(tmp_path: Path) -> None:
    """This test ensures that a caption over 1000 characters is a case-file error."""
    folder = tmp_path / "case"
    folder.mkdir()
    Image.new("RGB", (64, 48), "navy").save(folder / PHOTO)
    (folder / "case.toml").write_text(
        f'[exhibits."{PHOTO}"]\ncaption = "{"x" * 1001}"\n', encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["list", str(folder)])
    assert result.exit_code == 4
    assert (
        f'case.toml: exhibits."{PHOTO}".caption: 1001 characters, more than 1000: shorten it'
        in result.stderr
    )
