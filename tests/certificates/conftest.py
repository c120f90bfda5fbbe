import datetime

import pytest
from django.core.cache import cache

from learning.roles import Role
from tests.factories import MunicipalityFactory, UserFactory

from .factories import make_course


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def at():
    return datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def course(db):
    return make_course()


@pytest.fixture
def koege(db):
    return MunicipalityFactory(slug="koege", name="Køge Kommune")


@pytest.fixture
def ishoej(db):
    return MunicipalityFactory(slug="ishoej", name="Ishøj Kommune")


@pytest.fixture
def learner(roles, koege):
    return UserFactory(first_name="Søren", last_name="Æbelø", municipality=koege, roles=[Role.LEARNER])


@pytest.fixture
def coordinator(roles, koege):
    return UserFactory(
        first_name="Karin", last_name="Koordinator", municipality=koege, roles=[Role.COORDINATOR]
    )


@pytest.fixture
def other_coordinator(roles, ishoej):
    return UserFactory(first_name="Ivan", last_name="Ishøj", municipality=ishoej, roles=[Role.COORDINATOR])
