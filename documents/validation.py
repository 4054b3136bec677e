"""Checking an uploaded file by what it is, never by its name or the content type the browser sent.

The checks, in order; the first that fails refuses the file with a ``ValidationError`` on ``file``
whose message says what was wrong and what is allowed, before anything is stored:

1. Size, from ``file.size`` before reading a byte: an empty file, or one above the limit.
2. Signature at offset 0: ``%PDF-``, JPEG ``FF D8 FF``, PNG ``89 50 4E 47 0D 0A 1A 0A``, WebP
   ``RIFF....WEBP``. An executable renamed .pdf, HTML, SVG (text) and a PDF with anything before its
   header are refused here.
3. The type must be one the category allows.
4. No markup or script anywhere in the file (``<script``, ``<html``, ``<iframe``, ``<?php``...),
   and no ZIP directory at its end: this refuses polyglots, a valid image or PDF that a browser, a
   server or another program would also read as a web page, a script or an archive (a JAR). The
   markers are long enough that compressed data holds one by chance in fewer than one file in ten
   thousand.
5. A PDF must end with ``%%EOF`` (within its last 1024 bytes, as the format says): a truncated upload
   is refused. A PDF that declares JavaScript or a Launch action is refused; that check reads the
   objects outside streams only, so it is a second fence: downloads are also served as attachments
   and inline PDFs under ``Content-Security-Policy: sandbox``.
6. An image must decode fully with Pillow (a truncated or damaged image is refused) and hold at most
   ``MAX_PIXELS`` pixels whose decoded size is at most ``MAX_DECODED_BYTES`` (a small file that
   expands to hundreds of megabytes of memory is refused by its header, before it is decoded). It is
   turned upright by its EXIF orientation, once and in place, then re-encoded without its metadata
   (camera, GPS position) unless the institution's rules keep the original, and shrunk in place to
   its thumbnail: one upload holds one decoded image, not copies of it.
"""

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps

from .choices import FileType

MAX_PIXELS = 64_000_000  # a greyscale scan of 64 megapixels; colour is held to MAX_DECODED_BYTES too
# The memory the decoded pixels may take while the image is checked, turned and re-encoded (turning
# briefly holds it twice). Pillow keeps a colour pixel in four bytes, transparent or not, so this is
# a 24-megapixel colour image: a phone's photo is 12, a 300 dpi scan of an A4 page 9 and of an A3 17.
# Without it a blank 8000 x 8000 PNG, a quarter of a megabyte, took 256 MB at each step.
MAX_DECODED_BYTES = 96_000_000
# Decoding a WebP image holds it three more times (libwebp's canvas and previous frame, the frame's
# bytes Pillow copies), and encoding it again more: it is held to a third of the pixels of a PNG or JPEG.
_DECODING_COPIES = {FileType.WEBP: 3}
THUMBNAIL_SIZE = (160, 160)
CHUNK = 256 * 1024

SIGNATURES = [
    (FileType.PDF, lambda head: head.startswith(b"%PDF-")),
    (FileType.JPEG, lambda head: head.startswith(b"\xff\xd8\xff")),
    (FileType.PNG, lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    (FileType.WEBP, lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP"),
]
PILLOW_FORMATS = {FileType.JPEG: "JPEG", FileType.PNG: "PNG", FileType.WEBP: "WEBP"}

# What a refused file most likely is, to say so in the message.
_LOOKS_LIKE = [
    (re.compile(rb"^(MZ|\x7fELF|\xca\xfe\xba\xbe|\xcf\xfa\xed\xfe|#!)"), gettext_lazy("a program")),
    (re.compile(rb"^(\xef\xbb\xbf)?\s*<"), gettext_lazy("a web page or an SVG drawing")),
    (re.compile(rb"^PK\x03\x04"), gettext_lazy("a compressed archive or an office document")),
]
_MARKUP = re.compile(rb"<script|<html|<body|<iframe|<\?php|<!doctype|<svg[\s>/]|javascript:", re.IGNORECASE)
_MARKUP_OVERLAP = 16
_ZIP_END = b"PK\x05\x06"
_ZIP_TAIL = 65536 + 22
_PDF_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch)(?![A-Za-z0-9])")


@dataclass
class CheckedFile:
    """A file that passed the checks: what to store (the upload itself or its re-encoded copy)."""

    file_type: FileType
    content: object  # a django File: the upload, or a ContentFile of the re-encoded image
    size: int
    sha256: str
    thumbnail: bytes | None = None


def refuse(message):
    raise ValidationError({"file": ValidationError(message, code="refused")})


def allowed_phrase(allowed_types):
    labels = [str(FileType(value).label) for value in FileType.values if value in allowed_types]
    return _("Allowed: %(types)s.") % {"types": ", ".join(labels)}


TYPE_NOT_HERE = gettext_lazy("This file is a %(type)s, which is not allowed here. ")


def check(file, *, allowed_types, max_size, strip_metadata=True, type_refused=TYPE_NOT_HERE):
    """Check ``file`` (an UploadedFile or any django File) and return a CheckedFile, or raise
    ValidationError({"file": ...}). Nothing is written anywhere.

    ``type_refused`` says why a file of a known type outside ``allowed_types`` is refused, with
    ``%(type)s``: a document's category words it as the category's choice."""
    allowed = allowed_phrase(allowed_types)
    _check_size(file.size, max_size, allowed)
    file.seek(0)
    head = file.read(16)
    file_type = sniff(head)
    if file_type is None:
        # The types named are this upload's (a photo takes no PDF), in the phrase that follows.
        refuse(
            _("This file is not of a kind allowed here, whatever its name says (it looks like %(what)s). ")
            % {"what": _looks_like(head)}
            + allowed
        )
    if file_type not in allowed_types:
        refuse(str(type_refused) % {"type": file_type.label} + allowed)
    _check_no_markup(file, allowed)
    _check_no_archive(file, allowed)
    if file_type == FileType.PDF:
        return _checked_pdf(file, allowed)
    return _checked_image(file, file_type, allowed, strip_metadata=strip_metadata)


def sniff(head):
    """The FileType whose signature ``head`` (the first 16 bytes) starts with, or None."""
    for file_type, matches in SIGNATURES:
        if matches(head):
            return file_type
    return None


def _looks_like(head):
    for pattern, what in _LOOKS_LIKE:
        if pattern.match(head):
            return what
    return _("something else") if head else _("nothing")


def _check_size(size, max_size, allowed):
    if not size:
        refuse(_("The file is empty. Choose the file again; if it was a photo, take it again. ") + allowed)
    if size > max_size:
        refuse(
            _(
                "The file is %(size)s; the largest allowed is %(limit)s. Scan or photograph it at a lower "
                "resolution. "
            )
            % {"size": filesizeformat(size), "limit": filesizeformat(max_size)}
            + allowed
        )


def _check_no_markup(file, allowed):
    file.seek(0)
    tail = b""
    for chunk in file.chunks(CHUNK):
        if _MARKUP.search(tail + chunk):
            refuse(
                _("The file holds web page or script code besides its content, so it is not accepted. ")
                + allowed
            )
        tail = chunk[-_MARKUP_OVERLAP:]


def _check_no_archive(file, allowed):
    # A ZIP (a JAR, an office document) is read from its end: its directory's record sits in the last
    # 64 KiB. An image or a PDF with one there is also an archive that another program would open.
    file.seek(max(file.size - _ZIP_TAIL, 0))
    if _ZIP_END in file.read():
        refuse(_("The file has an archive hidden inside it, so it is not accepted. ") + allowed)


def _digest(file):
    file.seek(0)
    digest = hashlib.sha256()
    for chunk in file.chunks(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _checked_pdf(file, allowed):
    file.seek(max(file.size - 1024, 0))
    if b"%%EOF" not in file.read():
        refuse(_("The PDF is incomplete (its end is missing): upload it again. ") + allowed)
    file.seek(0)
    objects = _PDF_STREAM.sub(b"", file.read())
    objects = _PDF_NAME_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), objects)
    if _PDF_ACTIVE.search(objects):
        refuse(_("The PDF contains JavaScript or starts a program, so it is not accepted. ") + allowed)
    return CheckedFile(FileType.PDF, file, file.size, _digest(file))


def _checked_image(file, file_type, allowed, *, strip_metadata):
    image = _decoded(file, file_type, allowed)
    # Turned once, in place: the stored copy and the thumbnail both read this one image.
    ImageOps.exif_transpose(image, in_place=True)
    content = file
    if strip_metadata:
        content = ContentFile(_reencoded(image, PILLOW_FORMATS[file_type]))
    return CheckedFile(file_type, content, content.size, _digest(content), _thumbnail(image))


def _bytes_per_pixel(mode):
    """What Pillow keeps a decoded pixel of ``mode`` in: one byte for black and white, grey or a
    palette; four for the rest (colour is padded to four bytes; 16-bit grey takes two, counted as four)."""
    return 1 if mode in ("1", "L", "P") else 4


def _pixel_limit(file_type, mode):
    """The most pixels an image of ``mode`` may have: MAX_PIXELS, and no more than MAX_DECODED_BYTES hold
    (a third of them for a WebP image)."""
    copies = _DECODING_COPIES.get(file_type, 1)
    return min(MAX_PIXELS, MAX_DECODED_BYTES // (_bytes_per_pixel(mode) * copies))


def _too_many_pixels(width, height, limit):
    return _(
        "The image has too many pixels: %(pixels)s million, where at most %(max)s million are allowed. "
        "Photograph or scan it at a lower resolution. "
    ) % {
        # Rounded up, so that an image just over the limit is not said to be at it.
        "pixels": formats.number_format(-(-width * height // 100_000) / 10, 1),
        "max": limit // 1_000_000,
    }


def _decoded(file, file_type, allowed):
    damaged = _("The image is damaged or incomplete (perhaps cut off while uploading): upload it again. ")
    # Pillow refuses to open an image far above our limits, before its colours are known: the lower,
    # colour limit is the one named.
    bomb = _("The image has too many pixels (at most %(max)s million). ") % {
        "max": _pixel_limit(file_type, "RGB") // 1_000_000
    }
    pillow_formats = [PILLOW_FORMATS[file_type]]
    try:
        with warnings.catch_warnings():
            # Pillow's warning comes at 89 million pixels, above our limits: the header is read
            # and the image refused below with its own size and limit.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            file.seek(0)
            with Image.open(file, formats=pillow_formats) as probe:
                limit = _pixel_limit(file_type, probe.mode)
                if probe.width * probe.height > limit:
                    refuse(_too_many_pixels(probe.width, probe.height, limit) + allowed)
                probe.verify()  # the structure and checksums, to the end of the file
        file.seek(0)
        image = Image.open(file, formats=pillow_formats)
        image.load()  # every pixel: a truncated image fails here
    except Image.DecompressionBombError:
        refuse(bomb + allowed)
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError):
        refuse(damaged + allowed)
    return image


# What re-encoding keeps of the original's information: colour, transparency, nothing personal.
_KEPT_INFO = ("icc_profile", "transparency")


def _reencoded(image, pillow_format):
    """``image`` (upright) encoded again, keeping only ``_KEPT_INFO`` of what the original carried."""
    image.info = {key: value for key, value in image.info.items() if key in _KEPT_INFO}
    options = {}
    if pillow_format == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")  # a copy, but a decoded JPEG is always one of these
        options = {"quality": 90}
    elif pillow_format == "WEBP":
        options = {"quality": 90}
    if "icc_profile" in image.info:
        options["icc_profile"] = image.info["icc_profile"]
    out = io.BytesIO()
    image.save(out, format=pillow_format, **options)
    return out.getvalue()


# A transparent image's first, plain step stops at this many times the thumbnail's size.
_FIRST_STEP = 4


def _thumbnail(image):
    """A small JPEG made once, so that pages show the image without loading the original.

    ``image`` is shrunk in place, as the last use of it: a copy would hold the full size twice.
    Pillow shrinks by whole factors first (``reduce``), without a copy, except for a transparent
    image, which it premultiplies at full size; that one is first brought down to a few times the
    thumbnail's size by the nearest pixel, which the final, smooth resize makes invisible.
    """
    if image.mode in ("LA", "RGBA"):
        first_step = (THUMBNAIL_SIZE[0] * _FIRST_STEP, THUMBNAIL_SIZE[1] * _FIRST_STEP)
        image.thumbnail(first_step, Image.Resampling.NEAREST)
    image.thumbnail(THUMBNAIL_SIZE)
    small = image
    if small.mode in ("RGBA", "LA", "P", "PA"):
        small = small.convert("RGBA")
        background = Image.new("RGB", small.size, "white")
        background.paste(small, mask=small.getchannel("A"))
        small = background
    elif small.mode != "RGB":
        small = small.convert("RGB")
    out = io.BytesIO()
    small.save(out, format="JPEG", quality=80)
    return out.getvalue()
