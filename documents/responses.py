"""Sending a stored file to a browser without letting it be anything else than the file it is."""

from django.http import FileResponse

from . import storage
from .choices import FileType
from .names import content_disposition


def file_response(stored_name, *, file_type, name, inline=False, cache_seconds=0):
    """Stream ``stored_name`` from the documents storage as ``file_type``: never sniffed, never run."""
    # A plain str: WSGI servers refuse a header value of a str subclass such as the FileType enum.
    file_type = FileType(file_type).value
    response = FileResponse(storage.open_file(stored_name), content_type=file_type)
    response["Content-Disposition"] = content_disposition(name, file_type, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    if inline and file_type == FileType.PDF:
        # The browser's PDF viewer must run; the document itself gets no origin, scripts or forms.
        response["Content-Security-Policy"] = "sandbox"
    else:
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = f"private, max-age={cache_seconds}" if cache_seconds else "private, no-store"
    return response
