"""Sample files for the tests, made on the spot: real PDFs and images, and the bad ones to refuse."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF
from PIL import Image

# A GPS position in EXIF (the client's house) and a camera model, to see them removed.
GPS_IFD = 0x8825
MODEL = 0x0110


def pdf_bytes(text="Signed contract"):
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text=text)
    return bytes(pdf.output())


def image_bytes(pillow_format="JPEG", size=(400, 300), color=(200, 80, 40), exif=False, mode="RGB"):
    image = Image.new(mode, size, color)
    options = {}
    if exif:
        data = Image.Exif()
        data[MODEL] = "Phone camera X"
        data[0x0112] = 1  # orientation: upright
        data.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)})
        options["exif"] = data.tobytes()
    out = io.BytesIO()
    image.save(out, format=pillow_format, **options)
    return out.getvalue()


def jpeg_bytes(**kwargs):
    return image_bytes("JPEG", **kwargs)


def png_bytes(**kwargs):
    return image_bytes("PNG", **kwargs)


def webp_bytes(**kwargs):
    return image_bytes("WEBP", **kwargs)


def upload(content, name="file.bin", content_type="application/octet-stream"):
    """What a browser sends; its name and content type are whatever the user's machine says."""
    return SimpleUploadedFile(name, content, content_type=content_type)


EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)
