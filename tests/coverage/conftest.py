import datetime as dt

import pytest
from django.utils import timezone

from learning.roles import Role
from tests.courses.factories import build_tree
from tests.factories import DepartmentFactory, MunicipalityFactory, UserFactory


def aware(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@pytest.fixture
def tree(db):
    return build_tree(modules=1, lessons=2)


@pytest.fixture
def course(tree):
    return tree.course


@pytest.fixture
def koege(db):
    return MunicipalityFactory(slug="koege", name="Køge Kommune")


@pytest.fixture
def ishoej(db):
    return MunicipalityFactory(slug="ishoej", name="Ishøj Kommune")


@pytest.fixture
def school(koege):
    return DepartmentFactory(municipality=koege, name="Skoleområdet")


@pytest.fixture
def coordinator(roles, koege, school):
    return UserFactory(municipality=koege, department=school, roles=[Role.COORDINATOR])


@pytest.fixture
def other_coordinator(roles, ishoej):
    return UserFactory(municipality=ishoej, department=DepartmentFactory(municipality=ishoej), roles=[Role.COORDINATOR])
