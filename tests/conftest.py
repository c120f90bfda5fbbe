import pytest

from learning.roles import roles_sync


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def roles(db):
    roles_sync()


@pytest.fixture
def demo(db, django_db_blocker):
    """The full demo content, as `make run` loads it."""
    from learning.demo import demo_seed

    return demo_seed()
