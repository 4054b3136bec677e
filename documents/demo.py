"""Demo documents: a few demo clients get small generated PDFs, scans and a photo. Idempotent: a client
that already has documents (or a photo) is left alone.

Files go through ``services`` like any upload, so they are checked, stored and recorded as usual.
"""

import io

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from fpdf import FPDF
from PIL import Image, ImageDraw

from clients.models import Client
from offices.models import get_system_user

from . import services
from .models import ClientPhoto, DocumentCategory

# external id: [(category, file name, kind, lines of text)]; kind "pdf", "scan" (a JPEG of a card) or
# "png"; "id" attaches the scan to the client's first identification.
DOCUMENTS = {
    "demo-01": [
        ("Proof of address", "electricity-bill-march.pdf", "pdf", ["Electricity bill", "March", "Paid"]),
        ("Identification", "national-id-front.jpg", "id", ["NATIONAL IDENTITY CARD"]),
        ("Contract", "loan-agreement.pdf", "pdf", ["Loan agreement", "Signed by both parties"]),
    ],
    "demo-02": [
        ("Proof of address", "water-bill.png", "png", ["Water bill", "Account 44-1920"]),
        ("Contract", "group-guarantee.pdf", "pdf", ["Group guarantee", "Five members"]),
    ],
    "demo-03": [("Other", "market-stall-permit.pdf", "pdf", ["Market stall permit", "Valid this year"])],
}
PHOTOS = {"demo-01": (52, 120, 180), "demo-02": (180, 90, 60), "demo-04": (60, 150, 90)}


def seed(stdout=None, **options):
    by = get_system_user()
    clients = {
        client.external_id: client for client in Client.objects.filter(external_id__in=[*DOCUMENTS, *PHOTOS])
    }
    categories = {category.name: category for category in DocumentCategory.objects.all()}
    added = 0
    for external_id, documents in DOCUMENTS.items():
        client = clients.get(external_id)
        if client is None or client.documents.exists():
            continue
        identification = client.identifications.first()
        for category_name, name, kind, lines in documents:
            category = categories.get(category_name)
            if category is None:
                continue
            services.upload(
                client,
                ContentFile(_content(kind, [client.display_name, *lines]), name=name),
                category=category,
                identification=identification if kind == "id" else None,
                by=by,
            )
            added += 1
    for external_id, colour in PHOTOS.items():
        client = clients.get(external_id)
        if client is None or ClientPhoto.objects.filter(client=client).exists():
            continue
        services.set_photo(client, ContentFile(_portrait(colour), name="photo.jpg"), by=by)
        added += 1
    if stdout is not None and added:
        stdout.write(_("Demo documents and photos: %(count)d") % {"count": added})


def _content(kind, lines):
    if kind == "pdf":
        return pdf(lines)
    return card(lines, "PNG" if kind == "png" else "JPEG")


def pdf(lines):
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=14)
    for line in lines:
        document.cell(text=line.encode("latin-1", "replace").decode("latin-1"), new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())


def card(lines, pillow_format):
    image = Image.new("RGB", (640, 400), (236, 240, 244))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 620, 380), outline=(40, 70, 110), width=4)
    draw.rectangle((40, 90, 200, 300), fill=(200, 208, 216))
    for number, line in enumerate(lines):
        draw.text((230, 100 + number * 40), line, fill=(20, 30, 40))
    out = io.BytesIO()
    image.save(out, format=pillow_format)
    return out.getvalue()


def _portrait(colour):
    image = Image.new("RGB", (480, 480), (230, 230, 225))
    draw = ImageDraw.Draw(image)
    draw.ellipse((160, 80, 320, 260), fill=colour)
    draw.ellipse((90, 280, 390, 560), fill=colour)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()
