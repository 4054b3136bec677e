"""Upload forms. They only collect what the user chose; ``services`` checks the file by its content."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import FileType
from .models import DocumentCategory

ACCEPT = ",".join(FileType.values)
EMPTY = _("The file is empty. Choose the file again; if it was a photo, take it again.")
ACCEPT_IMAGES = ",".join(value for value in FileType.values if value.startswith("image/"))


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        # No ``capture`` here: with it a phone opens only its camera, and a PDF already on the phone
        # could not be chosen; without it, a phone's picker offers the camera beside its files.
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("A PDF, JPEG, PNG or WebP file: from a phone, choose a file or take a photo."),
        error_messages={"required": _("Choose a file to upload."), "empty": EMPTY},
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=DocumentCategory.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    identification = forms.ModelChoiceField(
        label=_("Supporting document of"),
        queryset=None,
        required=False,
        empty_label=_("No identification"),
    )

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = DocumentCategory.objects.active()
        self.fields["identification"].queryset = client.identifications.select_related("document_type")


class ClientPhotoForm(forms.Form):
    file = forms.FileField(
        label=_("Photo"),
        # The officer photographs the client there and then: a phone opens its back camera straight away.
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_IMAGES, "capture": "environment"}),
        help_text=_("A JPEG, PNG or WebP photo of the client's face."),
        error_messages={"required": _("Choose a photo to upload."), "empty": EMPTY},
    )
