"""Gunicorn settings read by default from the working directory (the image's /app, make serve-prod).

Gunicorn writes "Server: gunicorn" itself on every response and has no setting to turn it off; the
application cannot remove it from Django. Its response class reads the name from a module global
when each response is made, so emptying that global here leaves no server software banner.
A proxy in front (nginx, a load balancer) should drop or replace its own Server header too.
"""

import gc

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = ""

# Access log on standard output, as the image's command had it.
accesslog = "-"


def post_worker_init(worker):
    """Keep the collector off what the worker holds for its whole life.

    A worker loads the application before its first request: modules, settings, models, the URLconf,
    about a hundred thousand objects. Python's collector walks all of them in each full collection;
    frozen (gc.freeze), they are left out of every collection. What the start-up left as garbage is
    collected first, so that none of it is kept. Measured with wrk, servers with and without this
    taking turns three times: the sign-in page +29 % requests a second in every turn, client pages
    and the client list +2 to +8 % (within the machine's noise).
    """
    gc.collect()
    gc.freeze()
