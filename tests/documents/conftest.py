import pytest
from django.core.files.storage import storages


@pytest.fixture(autouse=True)
def documents_storage(settings):
    """Every test keeps its files in memory: the whole flow runs on a second storage backend, and no
    test leaves a file behind or sees another's."""
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    return storages["documents"]
