"""The text a PDF made by fpdf2 draws, read back as a person would read it, without a PDF library.

With an embedded TrueType font, fpdf2 writes each letter as its number in the font's subset and tells a
reader which letter each number is in the font's ``/ToUnicode`` map; that map is what turns the numbers
back into letters here. A built-in font (Helvetica) writes Latin-1 bytes.
"""

import re
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
# A stream's bytes are as many as its /Length says: compressed data may itself end in "\r".
_STREAM = re.compile(rb"/Length (\d+)\b.*?stream\r?\n", re.S)
_STRING = rb"\((?:\\.|[^\\)])*\)"
# fpdf2 chooses a font in a BT ... ET of its own, then writes each run as "BT x y Td (text) Tj ET".
_CONTENT = re.compile(
    rb"/(F\d+) [\d.]+ Tf|BT ([\d.]+) ([\d.]+) Td (" + _STRING + rb") Tj ET",
    re.S,
)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def text_runs(pdf_bytes):
    """[(x, y, text)] of every piece of text the PDF draws, in points."""
    objects = {int(number): body for number, body in _OBJECT.findall(pdf_bytes)}
    decoders = {
        name: _decoder(objects, int(ref)) for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", pdf_bytes)
    }
    runs = []
    for body in objects.values():
        content = _content(body)
        if content is None:
            continue
        decode = _latin
        for font, x, y, string in _CONTENT.findall(content):
            if font:
                decode = decoders[font]
            else:
                runs.append((float(x), float(y), decode(_unescape(string[1:-1]))))
    return runs


def font_names(pdf_bytes):
    """The names of the fonts the PDF uses, without a subset's prefix ("DejaVuSans-Bold", "Helvetica")."""
    return {name.split(b"+")[-1].decode() for name in re.findall(rb"/BaseFont /(\S+)", pdf_bytes)}


def _content(body):
    """A page's drawing instructions (a compressed stream), or None for any other object."""
    stream = _stream(body)
    if stream is None or b"/Length1" in body:  # Length1: an embedded font file
        return None
    try:
        return zlib.decompress(stream)
    except zlib.error:
        return None


def _stream(body):
    """The bytes of the object's stream, or None when it has none."""
    start = _STREAM.search(body)
    if start is None:
        return None
    return body[start.end() : start.end() + int(start.group(1))]


def _decoder(objects, font_ref):
    cmap_ref = re.search(rb"/ToUnicode (\d+) 0 R", objects[font_ref])
    if not cmap_ref:
        return _latin
    cmap = _stream(objects[int(cmap_ref.group(1))])
    letters = {
        int(code, 16): bytes.fromhex(letter.decode()).decode("utf-16-be")
        for code, letter in re.findall(
            rb"<([0-9A-Fa-f]{4})> <([0-9A-Fa-f]+)>", cmap.split(b"beginbfchar", 1)[-1]
        )
    }

    def decode(raw):
        codes = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
        return "".join(letters.get(code, "\ufffd") for code in codes)

    return decode


def _latin(raw):
    return raw.decode("latin-1")


def _unescape(raw):
    return re.sub(rb"\\(.)", lambda match: _ESCAPES.get(match.group(1), match.group(1)), raw, flags=re.S)
