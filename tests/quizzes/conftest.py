import pytest

from tests.factories import UserFactory

from .factories import (
    ScenarioFactory,
    acute_child,
    adult_koege,
    build_quiz_tree,
    municipality,
    roedovre_two_signs,
)


@pytest.fixture
def learner(db):
    return UserFactory(municipality=municipality("koege"))


@pytest.fixture
def scenarios(db):
    """Three scenarios with different keys (child notification; acute child; Rødovre leader first)."""
    return [ScenarioFactory(), acute_child(), roedovre_two_signs()]


@pytest.fixture
def quiz_tree(scenarios):
    return build_quiz_tree(scenarios=scenarios)


@pytest.fixture
def adult(db):
    return adult_koege()
