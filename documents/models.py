"""Documents of a client (scans, photos of papers, contracts), the client's photo, and the rules for both.

The files themselves live in the ``documents`` storage (``storage.py``) under random names; these rows
keep what a person needs to know about a file (its original name, type, size, who uploaded it and a
SHA-256 of its content), and the history keeps that after the file is deleted.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.models import Client, Identification, LookupItem
from mifos.singleton import SingletonModel
from offices.scoping import visible_office_ids

from .choices import IMAGE_TYPES, FileType

MEGABYTE = 1024 * 1024


def _all_types():
    return list(FileType.values)


class DocumentCategory(LookupItem):
    """A kind of document (identification, proof of address, contract...), kept by head office in admin."""

    allowed_types = models.JSONField(
        _("allowed types"),
        default=_all_types,
        help_text=_("The kinds of file a document of this category may be."),
    )
    max_size_mb = models.PositiveSmallIntegerField(
        _("largest size (MB)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Leave empty for the institution's limit; a larger number than that limit has no effect."
        ),
    )

    class Meta(LookupItem.Meta):
        verbose_name = _("document category")
        verbose_name_plural = _("document categories")

    def clean(self):
        super().clean()
        types = self.allowed_types
        if not isinstance(types, list) or not types or not set(types) <= set(FileType.values):
            raise ValidationError({"allowed_types": _("Choose at least one of PDF, JPEG, PNG and WebP.")})

    def allowed_labels(self):
        """The allowed types as a person reads them: "PDF, JPEG image"."""
        return ", ".join(
            str(FileType(value).label) for value in FileType.values if value in self.allowed_types
        )


class DocumentRules(SingletonModel):
    """The institution's rules for uploaded files, edited by head office in admin. There is one row."""

    max_size_mb = models.PositiveSmallIntegerField(
        _("largest size of a file (MB)"), default=5, validators=[MinValueValidator(1)]
    )
    strip_image_metadata = models.BooleanField(
        _("remove image metadata"),
        default=True,
        help_text=_(
            "Images are re-encoded on upload so that camera details and the GPS position where a photo "
            "was taken are not kept."
        ),
    )

    class Meta:
        verbose_name = _("document rules")
        verbose_name_plural = _("document rules")

    def __str__(self):
        return str(_("Document rules"))

    @property
    def max_size(self):
        return self.max_size_mb * MEGABYTE


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Documents of the clients ``user`` may see: a document has no office of its own, it follows
        its client (a transfer takes the documents along)."""
        if visible_office_ids(user) is None:
            return self.all()  # head office: no subquery over every client
        return self.filter(client__in=Client.objects.visible_to(user).values("pk"))


class StoredFile(models.Model):
    """What is kept about a file in the documents storage: its random name, type, size and checksum."""

    stored_name = models.CharField(_("stored name"), max_length=100, unique=True, editable=False)
    thumbnail_name = models.CharField(_("thumbnail"), max_length=100, blank=True, editable=False)
    original_name = models.CharField(_("original name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50, choices=FileType.choices)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text so that it survives the user's removal, like the history.
    uploaded_by_name = models.CharField(_("uploaded by (name)"), max_length=150, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        abstract = True

    @property
    def is_image(self):
        return self.content_type in IMAGE_TYPES


class Document(StoredFile):
    """A file about a client: a scan of an identity card, a proof of address, a signed contract."""

    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="documents"
    )
    identification = models.ForeignKey(
        Identification,
        verbose_name=_("identification"),
        null=True,
        blank=True,
        # A supporting document stays with the client when its identification is removed.
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    category = models.ForeignKey(
        DocumentCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(fields=["client", "-uploaded_at"], name="documents_client_recent"),
            # Admin's list of every document, newest first, and its upload-date filter.
            models.Index(fields=["-uploaded_at", "-id"], name="documents_recent"),
        ]
        permissions = [("download_document", _("Can download documents"))]

    def __str__(self):
        return self.title or self.original_name


class ClientPhoto(StoredFile):
    """The client's photo: the original kept privately, and a small thumbnail made once for the pages."""

    client = models.OneToOneField(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, primary_key=True, related_name="photo"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("client photo")
        verbose_name_plural = _("client photos")

    def __str__(self):
        return str(_("Photo of %(client)s") % {"client": self.client})
