import threading

import pytest
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from learning.roles import roles_sync


class SerializedWSGIServer(ThreadedWSGIServer):
    """The live test server, one request at a time (connections still kept alive, each in its thread).

    On the embedded setup the test database is an in-memory SQLite database, and every thread of the live
    server uses the test's one connection: two requests at once (the H5P player sends its statements in
    parallel, a browser fetches several files) would interleave their transactions and savepoints on it.
    """

    def set_app(self, application):
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                result = application(environ, start_response)
                try:
                    return [b"".join(result)]
                finally:
                    if hasattr(result, "close"):
                        result.close()

        super().set_app(one_at_a_time)


if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    LiveServerThread.server_class = SerializedWSGIServer


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def roles(db):
    roles_sync()


@pytest.fixture
def demo_site(db):
    """The light part of the demo: municipalities, departments, one user per role, home and info pages."""
    from courses.demo import demo_seed_site_pages
    from learning.demo import DemoReport, demo_seed_organisations

    report = DemoReport()
    demo_seed_organisations(report)
    demo_seed_site_pages(report)
    return report


@pytest.fixture
def demo(db, django_db_blocker):
    """The full demo content, as `make run` loads it."""
    from learning.demo import demo_seed

    return demo_seed()
