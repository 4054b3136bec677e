"""Compile the translation catalogues (.po) into the files Django reads (.mo), with polib.

Django's own compilemessages needs GNU gettext's msgfmt on the machine; this needs only what
``pip install`` brings, so a fresh install or a container image compiles without system packages.
Compiled files are not kept in git: the install step makes them.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    @property
    def help(self):
        """Translated when shown, not when the module is imported (argparse refuses a lazy string)."""
        return _("Compile every translation catalogue of the project (no GNU gettext needed).")

    def handle(self, *args, **options):
        compiled = 0
        for locale_path in map(Path, settings.LOCALE_PATHS):
            for po_path in sorted(locale_path.glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                # Untranslated and fuzzy entries are left out, as msgfmt does: they show in English.
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                compiled += 1
                name = po_path.relative_to(settings.BASE_DIR)
                self.stdout.write(
                    _("%(file)s: %(percent)s%% translated")
                    % {"file": name, "percent": catalogue.percent_translated()}
                )
        if not compiled:
            self.stdout.write(_("No catalogue to compile."))
