"""gunicorn.conf.py, the settings of the image's server, make serve-prod and bench/throughput.py."""

import gc
import runpy
from pathlib import Path

import gunicorn.http.wsgi

CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def test_responses_name_no_server_software():
    runpy.run_path(str(CONFIG))

    assert gunicorn.http.wsgi.SERVER == ""


def test_a_worker_leaves_what_it_loaded_out_of_garbage_collection():
    post_worker_init = runpy.run_path(str(CONFIG))["post_worker_init"]
    loaded = {"urlconf": []}  # stands for what the application holds once loaded
    assert any(obj is loaded for obj in gc.get_objects())
    try:
        post_worker_init(worker=None)

        # Frozen: in no generation the collector walks.
        assert not any(obj is loaded for obj in gc.get_objects())
    finally:
        gc.unfreeze()
