import pytest

from tests.factories import UserFactory

from .factories import build_tree


@pytest.fixture
def tree(db):
    return build_tree()


@pytest.fixture
def learner(db):
    return UserFactory()
