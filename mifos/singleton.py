from django.db import models


class SingletonModel(models.Model):
    """A table of settings with exactly one row (pk 1), edited by head office in admin."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        rules, _created = cls.objects.get_or_create(pk=1)
        return rules
