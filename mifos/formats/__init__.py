"""How each language of the site writes dates and numbers (settings.FORMAT_MODULE_PATH).

One date format per language, the same in lists and on detail pages: an institution that writes
02/12/2026 must read 02/12/2026 everywhere, not "Dec. 2, 2026" on one page and 12/02/2026 on the next.
Date inputs accept what the pages show, and ISO (what the browser's date picker sends).
"""
