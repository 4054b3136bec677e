"""A URLconf whose ids are written zero-padded, for tests/test_templates.py."""

from django.http import HttpResponse
from django.urls import path, register_converter


class PaddedId:
    regex = "[0-9]+"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{value:08d}"


register_converter(PaddedId, "padded")

urlpatterns = [path("p/<padded:pk>/", lambda request, pk: HttpResponse(), name="padded")]
