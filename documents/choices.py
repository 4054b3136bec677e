from django.db import models
from django.utils.translation import gettext_lazy as _


class FileType(models.TextChoices):
    """The kinds of file a document may be, named by their media type; told by content, not by name."""

    PDF = "application/pdf", _("PDF")
    JPEG = "image/jpeg", _("JPEG image")
    PNG = "image/png", _("PNG image")
    WEBP = "image/webp", _("WebP image")


IMAGE_TYPES = frozenset({FileType.JPEG, FileType.PNG, FileType.WEBP})

# What a stored file's name ends with: chosen from its type, never from the name the user gave it.
EXTENSIONS = {FileType.PDF: ".pdf", FileType.JPEG: ".jpg", FileType.PNG: ".png", FileType.WEBP: ".webp"}
