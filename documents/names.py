"""File names a user gave: harmless to keep, to show and to send back in a header.

A name never reaches a storage path (files are stored under random names, see ``storage``); these
functions make sure it cannot break a page, a header or the user's own disk either.
"""

import re
import unicodedata
from urllib.parse import quote

from django.utils.translation import gettext as _

from .choices import EXTENSIONS, FileType

_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._ ()+-]")
_OTHER_EXTENSIONS = {FileType.JPEG: (".jpeg", ".jpe", ".jfif")}


def clean_name(name):
    """The last part of any path (``../``, ``C:\\``), without control characters such as newlines,
    at most 200 characters with its extension kept."""
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if char.isprintable()).strip()
    if name.strip(".") == "":
        return _("document")
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        keep = dot and len(extension) <= 10
        name = stem[: 199 - len(extension)] + dot + extension if keep else name[:200]
    return name


def download_name(name, file_type):
    """``name`` with the extension of what the file is, so that no program opens it as something else
    (a PDF named "invoice.html" is saved as "invoice.html.pdf")."""
    extension = EXTENSIONS[FileType(file_type)]
    endings = (extension, *_OTHER_EXTENSIONS.get(FileType(file_type), ()))
    return name if name.lower().endswith(endings) else name + extension


def content_disposition(name, file_type, *, inline=False):
    """A Content-Disposition header (RFC 6266): an ASCII fallback for old clients, then the exact name
    in UTF-8 (RFC 5987). Quotes, backslashes, control characters and path separators cannot reach it:
    the fallback keeps only letters, digits and ``._ ()+-``, the exact name is percent-encoded."""
    name = download_name(clean_name(name), file_type)
    stem, _dot, extension = name.rpartition(".")
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    ascii_stem = _UNSAFE_ASCII.sub("_", ascii_stem).strip(" ._") or "document"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_stem}.{extension}\"; filename*=UTF-8''{quote(name, safe='')}"
