"""Services for the page tree: translations and editor permissions."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from wagtail.models import GroupPagePermission, Locale, Page

from learning.roles import Role, role_group

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def page_ensure_translation(*, page: Page, locale: Locale, title: str) -> Page:
    """Return the page's translation into `locale`, creating and publishing it if it is missing."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing
    translation = page.copy_for_translation(locale, copy_parents=True, alias=False)
    translation.title = title
    translation.save_revision().publish()
    return translation


def pages_grant_editor_permissions(*, root_page: Page) -> None:
    group = role_group(Role.EDITOR)
    for codename in EDITOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=permission)
