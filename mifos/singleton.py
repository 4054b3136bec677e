import contextlib
import threading

from django.db import models

# Rows kept by ``SingletonModel.kept()``, per thread: {model class: row}.
_kept = threading.local()


class SingletonModel(models.Model):
    """A table of settings with exactly one row (pk 1), edited by head office in admin."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        kept = getattr(_kept, "rows", {}).get(cls)
        if kept is not None:
            return kept
        rules, _created = cls.objects.get_or_create(pk=1)
        return rules

    @classmethod
    @contextlib.contextmanager
    def kept(cls):
        """Within it, ``load()`` in this thread returns the row read on entering, without a query:
        for bulk work that checks a million rows against the same rules (the client import)."""
        rows = getattr(_kept, "rows", None)
        if rows is None:
            rows = _kept.rows = {}
        previous = rows.get(cls)
        rows[cls] = cls.load()
        try:
            yield rows[cls]
        finally:
            if previous is None:
                rows.pop(cls, None)
            else:
                rows[cls] = previous
