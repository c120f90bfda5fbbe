import pytest

from learning.roles import roles_sync


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
