"""``makemessages`` that reads our Jinja2 pages too (mifos/templating.py).

Django's command turns each template into Python for GNU xgettext with its own template language's
parser, which does not know Jinja2's ``{% trans %}`` blocks. For a file of a Jinja2 engine's
folders, Jinja2's own extractor (the one Babel calls) finds the messages instead, and each is
written as the gettext call it stands for, on its line, so that the catalogue points at the
template's lines. Every other file goes through Django's way, unchanged.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.commands import makemessages
from jinja2.ext import babel_extract

KEYWORDS = ("_", "gettext", "ngettext", "pgettext", "npgettext")
# Extensions the pages use besides i18n, which the extractor adds itself.
EXTENSIONS = "jinja2.ext.do"


def jinja2_folders():
    folders = []
    for engine in settings.TEMPLATES:
        if engine["BACKEND"].endswith(".Jinja2"):
            folders += [Path(folder).resolve() for folder in engine.get("DIRS", [])]
    return folders


def as_python(source):
    """The gettext calls of a Jinja2 template, each on the line of the template it comes from."""
    lines = {}
    options = {"extensions": EXTENSIONS, "silent": "false"}  # a template that does not parse fails
    for lineno, function, message, _comments in babel_extract(source, KEYWORDS, [], options):
        arguments = message if isinstance(message, tuple) else (message,)
        if function == "_":
            function = "gettext"
        # A count or a variable is not a string (None): xgettext only needs the strings.
        strings = ", ".join("n" if argument is None else repr(argument) for argument in arguments)
        call = f"{function}({strings})"
        lines.setdefault(lineno, []).append(call)
    last = max(lines, default=0)
    return "\n".join("; ".join(lines.get(number, [])) for number in range(1, last + 1)) + "\n"


class BuildFile(makemessages.BuildFile):
    def preprocess(self):
        path = Path(self.path).resolve()
        if not (self.is_templatized and any(path.is_relative_to(folder) for folder in jinja2_folders())):
            return super().preprocess()
        with open(path, "rb") as source:
            content = as_python(source)
        with open(self.work_path, "w", encoding="utf-8") as work:
            work.write(content)


class Command(makemessages.Command):
    build_file_class = BuildFile
