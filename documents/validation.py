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
   ``MAX_PIXELS`` pixels (a small file that expands to gigabytes of memory is refused before it is
   decoded). It is then re-encoded without its metadata (camera, GPS position), after turning it
   upright by its EXIF orientation, unless the institution's rules keep the original.
"""

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps

from .choices import FileType

MAX_PIXELS = 64_000_000  # a 64-megapixel photo; a phone's is 12 to 50
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
    content = file
    if strip_metadata:
        content = ContentFile(_reencoded(image, PILLOW_FORMATS[file_type]))
    return CheckedFile(file_type, content, content.size, _digest(content), _thumbnail(image))


def _decoded(file, file_type, allowed):
    damaged = _("The image is damaged or incomplete (perhaps cut off while uploading): upload it again. ")
    too_big = _("The image has too many pixels (at most %(max)s million). ") % {
        "max": MAX_PIXELS // 1_000_000
    }
    formats = [PILLOW_FORMATS[file_type]]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            file.seek(0)
            with Image.open(file, formats=formats) as probe:
                if probe.width * probe.height > MAX_PIXELS:
                    refuse(too_big + allowed)
                probe.verify()  # the structure and checksums, to the end of the file
            file.seek(0)
            image = Image.open(file, formats=formats)
            image.load()  # every pixel: a truncated image fails here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        refuse(too_big + allowed)
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError):
        refuse(damaged + allowed)
    return image


# What re-encoding keeps of the original's information: colour, transparency, nothing personal.
_KEPT_INFO = ("icc_profile", "transparency")


def _reencoded(image, pillow_format):
    upright = ImageOps.exif_transpose(image)
    upright.info = {key: value for key, value in image.info.items() if key in _KEPT_INFO}
    options = {}
    if pillow_format == "JPEG":
        if upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
        options = {"quality": 90}
    elif pillow_format == "WEBP":
        options = {"quality": 90}
    if "icc_profile" in upright.info:
        options["icc_profile"] = upright.info["icc_profile"]
    out = io.BytesIO()
    upright.save(out, format=pillow_format, **options)
    return out.getvalue()


def _thumbnail(image):
    """A small JPEG made once, so that pages show the image without loading the original."""
    small = ImageOps.exif_transpose(image)
    small.thumbnail(THUMBNAIL_SIZE)
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
