"""The page tree's rules: which page type may live where."""

import pytest

from courses.models import (
    CourseIndexPage,
    CoursePage,
    HomePage,
    InfoPage,
    LessonPage,
    LocalOrganisationPage,
    ModulePage,
)

pytestmark = pytest.mark.django_db


def test_parent_page_types():
    assert CourseIndexPage.allowed_parent_page_models() == [HomePage]
    assert CoursePage.allowed_parent_page_models() == [CourseIndexPage]
    assert ModulePage.allowed_parent_page_models() == [CoursePage]
    assert LessonPage.allowed_parent_page_models() == [ModulePage]
    assert LocalOrganisationPage.allowed_parent_page_models() == [CourseIndexPage]


def test_subpage_types():
    from learning.models import ConcernGuidePage

    assert set(HomePage.allowed_subpage_models()) == {InfoPage, CourseIndexPage, ConcernGuidePage}
    assert set(CourseIndexPage.allowed_subpage_models()) == {CoursePage, LocalOrganisationPage}
    assert ModulePage in CoursePage.allowed_subpage_models()
    assert LessonPage in ModulePage.allowed_subpage_models()
    assert LessonPage.allowed_subpage_models() == []
    assert LocalOrganisationPage.allowed_subpage_models() == []


def test_pages_can_only_be_created_where_the_tree_allows(tree):
    assert CoursePage.can_create_at(tree.index)
    assert not CoursePage.can_create_at(tree.home)
    assert not LessonPage.can_create_at(tree.course)
    assert LessonPage.can_create_at(tree.modules[0])
    assert not ModulePage.can_create_at(tree.modules[0])
    # Only one course index per home page.
    assert not CourseIndexPage.can_create_at(tree.home)
