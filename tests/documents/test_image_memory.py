"""An image is held to the memory its pixels take once decoded, not to its file size alone: a blank
8000 x 8000 PNG is a quarter of a megabyte on disk and a quarter of a gigabyte in memory. Photos and
scans of the usual sizes still pass, upright, with their thumbnail."""

import io
import struct
import zlib

from PIL import Image

from documents.choices import FileType

from .files import webp_bytes
from .test_validation import check, refusal

ALLOWED = " Allowed: PDF, JPEG image, PNG image, WebP image."


def png_declaring(size, mode):
    """A PNG whose header declares ``size`` but which holds one pixel: the check refuses it by its
    header, so the test takes none of the memory the real image would."""
    out = io.BytesIO()
    Image.new(mode, (1, 1)).save(out, format="PNG")
    data = bytearray(out.getvalue())
    data[16:24] = struct.pack(">II", *size)  # IHDR: width, height
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def test_a_colour_image_is_refused_by_the_memory_its_pixels_would_take():
    """The tester's upload: under the 64 million pixels, yet 256 MB once decoded."""
    message = refusal(png_declaring((8000, 8000), "RGBA"))

    assert message == (
        "The image has too many pixels: 64.0 million, where at most 24 million are allowed. "
        "Photograph or scan it at a lower resolution." + ALLOWED
    )
    assert refusal(png_declaring((6000, 5000), "RGB")).startswith(
        "The image has too many pixels: 30.0 million"
    )


def test_a_greyscale_scan_may_have_more_pixels_than_a_colour_image():
    """A grey pixel takes one byte, a colour one four; the file below passes the pixel check and is
    refused only for holding no pixels."""
    assert refusal(png_declaring((8000, 6000), "L")).startswith("The image is damaged or incomplete")
    assert refusal(png_declaring((9000, 8000), "L")).startswith(
        "The image has too many pixels: 72.0 million, where at most 64 million are allowed."
    )


def jpeg(size, *, mode="RGB", orientation=None):
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    Image.new(mode, size, "grey").save(out, format="JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def thumbnail_of(checked):
    return Image.open(io.BytesIO(checked.thumbnail))


def test_a_twelve_megapixel_phone_photo_passes_upright_with_its_thumbnail():
    checked = check(jpeg((4000, 3000), orientation=6))  # taken holding the phone upright

    assert checked.file_type == FileType.JPEG
    checked.content.seek(0)
    assert Image.open(checked.content).size == (3000, 4000)
    assert thumbnail_of(checked).size == (120, 160)


def test_a_scan_of_an_a4_page_at_300_dpi_passes_in_colour_and_in_grey():
    colour = check(jpeg((2480, 3508)))
    grey = check(jpeg((2480, 3508), mode="L"))

    assert thumbnail_of(colour).size == thumbnail_of(grey).size == (113, 160)


def test_a_transparent_image_gets_its_thumbnail_on_white():
    image = Image.new("RGBA", (2000, 1000), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (0, 0, 1000, 1000))  # the left half red, the right half clear
    out = io.BytesIO()
    image.save(out, format="PNG")

    thumbnail = thumbnail_of(check(out.getvalue()))

    assert thumbnail.size == (160, 80) and thumbnail.mode == "RGB"
    red, clear = thumbnail.getpixel((20, 40)), thumbnail.getpixel((140, 40))
    assert red[0] > 180 and red[1] < 40
    assert min(clear) > 240


def test_a_webp_image_is_held_to_a_third_of_the_pixels_as_its_decoder_copies_them():
    assert refusal(webp_bytes(size=(3000, 3000))).startswith(
        "The image has too many pixels: 9.0 million, where at most 8 million are allowed."
    )
    assert check(webp_bytes(size=(3200, 2400))).file_type == FileType.WEBP


def test_an_image_above_pillows_own_guard_is_told_its_size_or_the_colour_limit():
    assert refusal(png_declaring((10000, 9500), "L")).startswith(
        "The image has too many pixels: 95.0 million, where at most 64 million are allowed."
    )
    assert refusal(png_declaring((15000, 15000), "L")).startswith(
        "The image has too many pixels (at most 24 million)."
    )
