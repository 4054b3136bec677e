"""Gunicorn settings read by default from the working directory (the image's /app, make serve-prod).

Gunicorn writes "Server: gunicorn" itself on every response and has no setting to turn it off; the
application cannot remove it from Django. Its response class reads the name from a module global
when each response is made, so emptying that global here leaves no server software banner.
A proxy in front (nginx, a load balancer) should drop or replace its own Server header too.
"""

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = ""

# Access log on standard output, as the image's command had it.
accesslog = "-"
