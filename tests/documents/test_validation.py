"""A file is accepted by what it is: each accepted type, and each refusal with the message a user reads."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from documents import validation
from documents.choices import FileType

from .files import (
    EXECUTABLE,
    GPS_IFD,
    HTML,
    MODEL,
    SVG,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    upload,
    webp_bytes,
)

ALL = FileType.values
LIMIT = 5 * 1024 * 1024


def check(content, name="file.bin", allowed=ALL, max_size=LIMIT, strip=True):
    return validation.check(
        upload(content, name), allowed_types=allowed, max_size=max_size, strip_metadata=strip
    )


def stored_bytes(checked):
    checked.content.seek(0)
    return checked.content.read()


def refusal(content, **kwargs):
    with pytest.raises(ValidationError) as caught:
        check(content, **kwargs)
    [message] = caught.value.message_dict["file"]
    return message


@pytest.mark.parametrize(
    ("make", "file_type"),
    [
        (pdf_bytes, FileType.PDF),
        (jpeg_bytes, FileType.JPEG),
        (png_bytes, FileType.PNG),
        (webp_bytes, FileType.WEBP),
    ],
)
def test_it_accepts_each_allowed_type_by_its_content_whatever_its_name(make, file_type):
    checked = check(make(), name="whatever.txt")

    assert checked.file_type == file_type
    assert checked.size > 0 and len(checked.sha256) == 64


def test_an_image_gets_a_small_jpeg_thumbnail_and_a_pdf_none():
    thumbnail = Image.open(io.BytesIO(check(png_bytes(size=(1600, 1200))).thumbnail))

    assert thumbnail.format == "JPEG" and max(thumbnail.size) == 160
    assert check(pdf_bytes()).thumbnail is None


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (EXECUTABLE, "it looks like a program"),
        (HTML, "it looks like a web page or an SVG drawing"),
        (SVG, "it looks like a web page or an SVG drawing"),
        (b"PK\x03\x04" + b"\x00" * 100, "it looks like a compressed archive"),
        (b"Just some words in a text file.", "it looks like something else"),
        (b"junk before the header " + pdf_bytes(), "it looks like something else"),
    ],
    ids=["executable", "html", "svg", "zip", "text", "pdf-header-not-at-start"],
)
def test_it_refuses_what_is_not_a_pdf_or_image_and_says_what_is_allowed(content, words):
    message = refusal(content)

    assert "not of a kind allowed here, whatever its name says" in message
    assert words in message
    assert "Allowed: PDF, JPEG image, PNG image, WebP image." in message


def test_it_refuses_an_executable_renamed_pdf():
    assert "looks like a program" in refusal(EXECUTABLE, name="contract.pdf")


def test_it_refuses_an_empty_file():
    assert refusal(b"").startswith("The file is empty.")


def test_it_refuses_a_file_over_the_limit_without_reading_it():
    class Unreadable:
        size = LIMIT + 1
        name = "big.pdf"

        def read(self, *args):
            raise AssertionError("read before the size was checked")

    with pytest.raises(ValidationError) as caught:
        validation.check(Unreadable(), allowed_types=ALL, max_size=LIMIT)

    assert caught.value.message_dict["file"] == [
        "The file is 5.0\xa0MB; the largest allowed is 5.0\xa0MB. "
        "Scan or photograph it at a lower resolution. Allowed: PDF, JPEG image, PNG image, WebP image."
    ]


@pytest.mark.parametrize(
    ("content", "start"),
    [
        (jpeg_bytes(size=(800, 600))[:2000], "The image is damaged or incomplete"),
        (png_bytes(size=(800, 600))[:-20], "The image is damaged or incomplete"),
        (webp_bytes(size=(800, 600))[:-40], "The image is damaged or incomplete"),
        (pdf_bytes()[:-40], "The PDF is incomplete (its end is missing)"),
    ],
    ids=["jpeg", "png", "webp", "pdf"],
)
def test_it_refuses_a_truncated_file(content, start):
    assert refusal(content).startswith(start)


@pytest.mark.parametrize(
    "content",
    [
        jpeg_bytes() + b"<?php system($_GET['c']); ?>",
        png_bytes() + b"<script>alert(1)</script>",
        pdf_bytes().replace(b"%PDF-1.3", b"%PDF-1.3\n<html><body onload=alert(1)>", 1),
    ],
    ids=["jpeg-with-php", "png-with-script", "pdf-with-html"],
)
def test_it_refuses_a_polyglot(content):
    assert refusal(content).startswith("The file holds web page or script code besides its content")


def test_it_refuses_an_image_that_is_also_an_archive():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as jar:
        jar.writestr("Main.class", b"\xca\xfe\xba\xbe")

    message = refusal(jpeg_bytes() + archive.getvalue())

    assert message.startswith("The file has an archive hidden inside it")


def test_it_refuses_a_pdf_with_javascript_even_with_its_name_escaped():
    plain = pdf_bytes().replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript >>", 1)
    escaped = pdf_bytes().replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /J#61vaScript >>", 1)

    assert refusal(plain).startswith("The PDF contains JavaScript")
    assert refusal(escaped).startswith("The PDF contains JavaScript")


def test_it_refuses_a_type_the_category_does_not_take():
    message = refusal(pdf_bytes(), allowed=[FileType.JPEG, FileType.PNG])

    assert message == "This file is a PDF, which is not allowed here. Allowed: JPEG image, PNG image."


def test_an_unknown_file_is_refused_naming_only_the_types_this_upload_takes():
    message = refusal(b"Just some words in a text file.", allowed=[FileType.JPEG, FileType.PNG])

    assert message == (
        "This file is not of a kind allowed here, whatever its name says (it looks like something else). "
        "Allowed: JPEG image, PNG image."
    )
    assert "PDF" not in message


def test_it_refuses_an_image_with_too_many_pixels_before_decoding_it(monkeypatch):
    monkeypatch.setattr(validation, "MAX_PIXELS", 100 * 100)

    assert refusal(png_bytes(size=(101, 100))).startswith("The image has too many pixels")


@pytest.mark.parametrize("make", [jpeg_bytes, webp_bytes])
def test_it_removes_the_camera_and_gps_position_from_an_image(make):
    original = make(exif=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the sample has them

    stored = stored_bytes(check(original))

    exif = Image.open(io.BytesIO(stored)).getexif()
    assert not exif.get_ifd(GPS_IFD) and MODEL not in exif
    assert b"Phone camera X" not in stored


def test_it_keeps_the_original_when_head_office_turns_stripping_off():
    original = jpeg_bytes(exif=True)

    assert stored_bytes(check(original, strip=False)) == original


def test_a_photo_taken_sideways_is_stored_upright():
    image = Image.new("RGB", (40, 20), "red")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees to show
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())

    stored = Image.open(io.BytesIO(stored_bytes(check(out.getvalue()))))

    assert stored.size == (20, 40)
