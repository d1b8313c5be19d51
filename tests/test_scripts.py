"""Any script prints as text: Japanese, Arabic, Hebrew, Korean, Cyrillic, Greek and emoji."""

from __future__ import annotations

import shutil
import subprocess
import time
import unicodedata
from email.message import EmailMessage
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image, ImageChops, ImageOps
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas

from dossier import BuildOptions, build
from dossier.layout.coverage import font_note
from dossier.layout.fonts import (
    BOLD,
    REGULAR,
    ScriptParagraph,
    font_runs,
    register_fonts,
    visual_line,
)
from tests.conftest import CORPUS, NOW
from tests.test_fonts_embedded import not_embedded

JAPANESE_SUBJECT = "ご注文の商品を発送しました"
JAPANESE_BODY = (
    "山田様\n\nご注文ありがとうございます。注文番号 403-1234567 の商品は本日発送されました。"
)
ARABIC_SUBJECT = "تأكيد طلبك"
ARABIC_BODY = (
    "مرحبا سارة،\n\nشكرا لطلبك رقم 405-7654321. "
    + "سيصل الطرد خلال ثلاثة أيام عمل وسنرسل رسالة عند الشحن. " * 6
)
EMOJI_SUBJECT = "Colis livré 📦 merci 😀"
EMOJI_BODY = (
    "Bonjour Léa,\n\nVotre colis est arrivé 🎉👍 — bonne journée ☀️\n"
    "Καλημέρα, Привет, שלום, 안녕하세요"
)


def _mail(folder: Path, name: str, subject: str, body: str, *, html: bool, sender: str) -> None:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "Léa Dubois <lea.dubois@example.org>"
    message["Subject"] = subject
    message["Date"] = "Tue, 03 Nov 2026 10:00:00 +0100"
    if html:
        paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n") if line)
        message.set_content(f"<html><body>{paragraphs}</body></html>", subtype="html")
    else:
        message.set_content(body)
    (folder / name).write_bytes(bytes(message))


@pytest.fixture(scope="module")
def scripts_dossier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dossier of a Japanese, an Arabic and an emoji email, and a photo named in Cyrillic."""
    folder = tmp_path_factory.mktemp("scripts") / "case"
    folder.mkdir()
    _mail(
        folder,
        "japanese.eml",
        JAPANESE_SUBJECT,
        JAPANESE_BODY,
        html=False,
        sender="山田商店 <shop@example.jp>",
    )
    _mail(
        folder,
        "arabic.eml",
        ARABIC_SUBJECT,
        ARABIC_BODY,
        html=True,
        sender="متجر <shop@example.ae>",
    )
    _mail(folder, "emoji.eml", EMOJI_SUBJECT, EMOJI_BODY, html=False, sender="Shop <s@example.be>")
    Image.new("RGB", (320, 200), (180, 120, 60)).save(folder / "Посылка δέμα 包裹.jpg")
    (folder / "case.toml").write_text('language = "nl"\n', encoding="utf-8")
    output = folder.parent / "dossier.pdf"
    build(BuildOptions(folder=folder, output=output, now=NOW))
    return output


def _page_with(pdf: Path, needle: str) -> tuple[int, str]:
    for index, page in enumerate(PdfReader(pdf).pages):
        text = page.extract_text() or ""
        if needle in unicodedata.normalize("NFKC", text):
            return index, text
    raise AssertionError(f"{needle!r} is on no page")


def test_japanese_and_emoji_come_back_out_as_text(scripts_dossier: Path) -> None:
    """This test ensures that CJK and emoji (beyond U+FFFF) are extracted as the characters drawn."""
    _, text = _page_with(scripts_dossier, "ご注文ありがとうございます")
    assert JAPANESE_SUBJECT in text
    assert "403-1234567" in text
    _, text = _page_with(scripts_dossier, "Votre colis est arrivé")
    assert "📦" in text and "😀" in text and "🎉👍" in text
    assert "Καλημέρα" in text and "Привет" in text and "안녕하세요" in text
    assert "שלום" in text  # drawn right to left, so read back in logical order
    _page_with(scripts_dossier, "Посылка δέμα 包裹")  # the photo's caption


def test_arabic_is_joined_and_in_visual_order(scripts_dossier: Path) -> None:
    """This test ensures that Arabic letters are drawn joined, and words right to left.

    pypdf reads each right-to-left word back letter by letter in reading
    order, but leaves the words in the order they are drawn, left to right:
    a line reads back with its words reversed.
    """
    _, text = _page_with(scripts_dossier, "لطلبك")
    assert any("\ufe70" <= character <= "\ufeff" for character in text)  # joined forms
    flat = unicodedata.normalize("NFKC", text)
    for word in ("شكرا", "سيصل", "الطرد", "ثلاثة", "مرحبا"):
        assert word in flat
    assert "طلبك تأكيد" in flat  # the subject "تأكيد طلبك", drawn right to left
    assert "<shop@example.ae> متجر" in flat  # "متجر <shop@example.ae>", brackets mirrored


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils is not installed")
def test_fallback_fonts_are_embedded_subsets(scripts_dossier: Path) -> None:
    """This test ensures that each fallback font is in the file, subsetted, and nothing is missing."""
    listing = subprocess.run(
        ["pdffonts", str(scripts_dossier)], capture_output=True, text=True, check=True
    ).stdout
    for font in ("DroidSansFallback", "NotoSansArabic-Regular", "NotoEmoji-Regular"):
        lines = [line for line in listing.splitlines() if f"+{font} " in line]
        assert lines, f"{font} is not in the dossier"
        assert all(line.split()[-5:-2] == ["yes", "yes", "yes"] for line in lines)
    assert not_embedded(scripts_dossier) == []
    # A subset: far smaller than the 3.4 MB of the CJK font alone.
    assert scripts_dossier.stat().st_size < 600_000


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils is not installed")
def test_latin_dossier_carries_no_fallback_font(tmp_path: Path) -> None:
    """This test ensures that a fallback font is embedded only when a dossier needs it."""
    folder = tmp_path / "case"
    folder.mkdir()
    _mail(
        folder,
        "a.eml",
        "Remboursement",
        "Bonjour,\nŁukasz Dvořák-Müller, 23,99 €",
        html=False,
        sender="Shop <s@example.be>",
    )
    output = tmp_path / "d.pdf"
    build(BuildOptions(folder=folder, output=output, now=NOW))
    listing = subprocess.run(
        ["pdffonts", str(output)], capture_output=True, text=True, check=True
    ).stdout
    assert "DejaVuSans" in listing
    for font in ("Droid", "NotoSansArabic", "NotoSansHebrew", "NotoEmoji"):
        assert font not in listing


def _glyph_crops(pdf: Path, page_index: int, wanted: str) -> dict[str, Image.Image]:
    """The rendered picture of the first occurrence of each character of ``wanted``."""
    document = pypdfium2.PdfDocument(str(pdf))
    page = document[page_index]
    scale = 4
    picture = page.render(scale=scale, grayscale=True).to_pil().convert("L")
    height = page.get_size()[1]
    textpage = page.get_textpage()
    crops: dict[str, Image.Image] = {}
    for index in range(textpage.count_chars()):
        # A character beyond U+FFFF takes two indexes (UTF-16): read two, keep the first.
        character = textpage.get_text_range(index, 1) or textpage.get_text_range(index, 2)[:1]
        character = unicodedata.normalize("NFKC", character)
        if character and character in wanted and character not in crops:
            left, bottom, right, top = textpage.get_charbox(index)
            box = (
                int(left * scale) - 1,
                int((height - top) * scale) - 1,
                int(right * scale) + 2,
                int((height - bottom) * scale) + 2,
            )
            crops[character] = picture.crop(box).resize((24, 24))
    document.close()
    return crops


def _missing_glyph_box(folder: Path) -> Image.Image:
    """The box the tool's font prints for a letter it lacks (Thai: no shipped font has it)."""
    register_fonts()
    path = folder / "box.pdf"
    canvas = Canvas(str(path), pagesize=(100, 100))
    canvas.setFont(REGULAR, 60)
    canvas.drawString(20, 20, "ข")
    canvas.save()
    document = pypdfium2.PdfDocument(str(path))
    picture = document[0].render(scale=2, grayscale=True).to_pil().convert("L")
    document.close()
    inked = ImageOps.invert(picture).getbbox()
    assert inked is not None
    return picture.crop(inked).resize((24, 24))


def _ink(crop: Image.Image) -> float:
    return sum(1 for value in crop.tobytes() if value < 128) / (crop.width * crop.height)


@pytest.mark.parametrize(
    ("needle", "characters"),
    [
        pytest.param("ご注文ありがとうございます", "注文発送様", id="japanese"),
        pytest.param("Votre colis est arrivé", "🎉👍안녕", id="emoji-korean"),
        pytest.param("لطلبك", "شكرطب", id="arabic"),
    ],
)
def test_glyphs_are_drawn_not_boxes(scripts_dossier: Path, needle: str, characters: str) -> None:
    """This test ensures that each character is drawn as its own glyph, not a blank or a box.

    A missing glyph is drawn as the same empty rectangle (or nothing) for
    every character: each picture must have ink, differ from the box a Thai
    letter (which no font has) prints as, and no two may look alike.
    """
    page_index, _ = _page_with(scripts_dossier, needle)
    crops = _glyph_crops(scripts_dossier, page_index, characters)
    assert set(crops) == set(characters)
    box = _missing_glyph_box(scripts_dossier.parent)
    assert _ink(box) > 0.03  # the box is drawn: it is the picture to tell glyphs from
    for character, crop in crops.items():
        assert _ink(crop) > 0.03, f"{character!r} is blank"
        difference = ImageChops.difference(crop, box)
        changed = sum(1 for value in difference.tobytes() if value > 96)
        assert changed > 20, f"{character!r} is drawn as the missing-glyph box"
    pictures = list(crops.items())
    for i, (first, one) in enumerate(pictures):
        for second, other in pictures[i + 1 :]:
            difference = ImageChops.difference(one, other)
            changed = sum(1 for value in difference.tobytes() if value > 96)
            assert changed > 20, f"{first!r} and {second!r} are drawn alike"


@pytest.mark.parametrize(
    ("text", "fonts"),
    [
        pytest.param("Order 12", [REGULAR], id="latin"),
        pytest.param("Заказ Παραγγελία", [REGULAR], id="cyrillic-greek"),
        pytest.param("注文 12", ["DossierCJK", REGULAR], id="cjk-then-latin"),
        pytest.param("주문", ["DossierCJK"], id="korean"),
        pytest.param("שלום", ["DossierHebrew"], id="hebrew"),
        pytest.param("ok 🫠", [REGULAR, "DossierEmoji"], id="emoji"),
    ],
)
def test_runs_fall_back_by_character(text: str, fonts: list[str]) -> None:
    """This test ensures that each run of text goes to a font that has its glyphs."""
    register_fonts()
    runs = font_runs(text, REGULAR)
    assert [font for font, _ in runs] == fonts
    assert "".join(run for _, run in runs) == text


def test_bold_text_keeps_the_bold_face_where_it_can() -> None:
    """This test ensures that bold Latin stays bold next to a fallback run."""
    register_fonts()
    assert [font for font, _ in font_runs("Objet : 注文", BOLD)] == [BOLD, "DossierCJK"]


def test_right_to_left_paragraph_breaks_in_reading_order() -> None:
    """This test ensures that the first words of a long Arabic paragraph are on its first line."""
    register_fonts()
    words = [f"كلمة{n}" for n in range(40)]
    style = ParagraphStyle("t", fontName=REGULAR, fontSize=10, leading=12)
    paragraph = ScriptParagraph(" ".join(words), style)
    paragraph.wrap(200, 1000)
    lines = [
        "".join(getattr(frag, "text", "") for frag in line.words) for line in paragraph.blPara.lines
    ]
    assert len(lines) > 3
    assert visual_line(words[0]) in lines[0]
    assert visual_line(words[-1]) in lines[-1]


def test_only_characters_no_font_draws_are_reported() -> None:
    """This test ensures that the warning about boxes names Thai, not Japanese or emoji."""
    note = font_note("ทดสอบ 注文 😀 Заказ")
    assert note is not None
    assert note.startswith("5 different characters (e.g. ท ด ส อ บ)")
    assert font_note("注文 😀 تأكيد שלום Заказ") is None


@pytest.mark.parametrize(
    ("rtl", "drawn"),
    [
        pytest.param(False, "םולש world", id="in-a-left-to-right-paragraph"),
        pytest.param(True, "world םולש", id="in-a-right-to-left-paragraph"),
    ],
)
def test_a_line_follows_its_paragraph_direction(rtl: bool, drawn: str) -> None:
    """This test ensures that a wrapped line starting with Hebrew keeps its paragraph's direction."""
    assert visual_line("שלום world", rtl) == drawn


def test_a_huge_right_to_left_word_is_laid_out_quickly() -> None:
    """This test ensures that 30,000 Arabic letters without a space break by bisection, fast."""
    register_fonts()
    style = ParagraphStyle("t", fontName=REGULAR, fontSize=10, leading=12)
    paragraph = ScriptParagraph("ب" * 30_000, style)
    started = time.monotonic()
    paragraph.wrap(300, 100_000)
    assert time.monotonic() - started < 10
    assert len(paragraph.blPara.lines) > 100


@pytest.mark.corpus
@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils is not installed")
def test_real_mails_in_other_scripts_print_as_text(tmp_path: Path) -> None:
    """This test ensures that mails nobody here wrote print their script: Chinese, emoji, Japanese.

    A spam mail in Chinese (.eml), a mail with emoji in its subject (.eml) and
    an Outlook message in Japanese stored in code page 932 (.msg).
    """
    folder = tmp_path / "case"
    folder.mkdir()
    for name in (
        "mail-parser__mail_test_9.eml",
        "mikel-mail__attachment_pdf.eml",
        "msgreader__nonUnicodeCP932.msg",
    ):
        shutil.copy(CORPUS / "emails" / name, folder / name)
    output = tmp_path / "d.pdf"
    build(BuildOptions(folder=folder, output=output, now=NOW, skip_unreadable=True))
    _page_with(output, "镜头")
    _, text = _page_with(output, "Another PDF with")
    assert "🎉" in text and "🍿" in text
    _, text = _page_with(output, "日本語 Non Unicode 本文")  # the body, on the exhibit's page
    assert "日本語 Non Unicode タイトル" in text
    listing = subprocess.run(
        ["pdffonts", str(output)], capture_output=True, text=True, check=True
    ).stdout
    assert "+DroidSansFallback " in listing and "+NotoEmoji-Regular " in listing
    assert not_embedded(output) == []
