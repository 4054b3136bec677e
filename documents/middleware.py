"""Uploads of documents: streamed to disk, and refused before the body is read when it is too large.

It must come before anything that reads ``request.POST`` (CsrfViewMiddleware, and any middleware that
inspects forms): once the body is parsed, the upload handlers cannot change and the bytes are in.
It acts only on the views that say ``streams_uploads`` (``documents.views.UploadMixin``).
"""

from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

# Room for the form's other fields and the multipart boundaries around the file.
FORM_OVERHEAD = 64 * 1024


class DocumentUploadMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or not getattr(view_func, "streams_uploads", False):
            return None
        from .models import DocumentRules

        request.upload_handlers = [TemporaryFileUploadHandler(request)]
        max_size = DocumentRules.load().max_size
        if int(request.META.get("CONTENT_LENGTH") or 0) > max_size + FORM_OVERHEAD:
            # The body is never read: an empty form stands in for it, and the view says why.
            request.upload_refused_over = max_size
            request._post, request._files = QueryDict(), MultiValueDict()
        return None
