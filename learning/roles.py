"""The platform's roles, kept as Django groups with permissions that the rest of the product checks.

A role is a group, so an administrator can grant or revoke it in the Wagtail admin and the change
takes effect on the user's next request (permissions are read per request, never cached in the session).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import User


class Role(StrEnum):
    LEARNER = "learner"
    SSP_TEACHER = "ssp_teacher"
    COORDINATOR = "coordinator"
    EDITOR = "editor"
    ADMINISTRATOR = "administrator"


ROLE_GROUP_NAMES: dict[Role, str] = {
    Role.LEARNER: "Medarbejdere",
    Role.SSP_TEACHER: "SSP-undervisere",
    Role.COORDINATOR: "Koordinatorer",
    Role.EDITOR: "Redaktører",
    Role.ADMINISTRATOR: "Administratorer",
}

ROLE_LABELS = {
    Role.LEARNER: _("Medarbejder"),
    Role.SSP_TEACHER: _("SSP-underviser"),
    Role.COORDINATOR: _("Koordinator"),
    Role.EDITOR: _("Redaktør"),
    Role.ADMINISTRATOR: _("Administrator"),
}

# Permissions per role as "app_label.codename". Page permissions for editors are granted on the page
# tree by `pages_grant_editor_permissions` once the tree exists.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.LEARNER: [],
    Role.SSP_TEACHER: ["learning.run_classroom"],
    Role.COORDINATOR: ["wagtailadmin.access_admin", "learning.view_coverage", "learning.manage_roster"],
    Role.EDITOR: [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        *(f"{app}.{verb}_{model}" for app, model in (
            ("interactive", "h5pactivity"),
            ("quizzes", "scenarioquestion"),
            ("classroom", "classroomdeck"),
        ) for verb in ("add", "change", "delete", "view")),
    ],
    Role.ADMINISTRATOR: [
        "wagtailadmin.access_admin",
        "learning.view_municipality",
        "learning.add_municipality",
        "learning.change_municipality",
        "learning.view_department",
        "learning.add_department",
        "learning.change_department",
        "learning.delete_department",
        "learning.view_user",
        "learning.add_user",
        "learning.change_user",
        "auth.view_group",
        "auth.change_group",
        "wagtailusers.change_userprofile",
        "coverage.add_trainingtarget",
        "coverage.change_trainingtarget",
        "coverage.delete_trainingtarget",
        "coverage.view_trainingtarget",
    ],
}

# Roles that must protect their account with a second factor (TOTP or recovery codes).
ROLES_REQUIRING_MFA = frozenset({Role.COORDINATOR, Role.EDITOR, Role.ADMINISTRATOR})


def _permission(dotted: str) -> Permission | None:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


# Wagtail checks image and document permissions per collection, never on the group itself.
COLLECTION_PERMISSION_APPS = frozenset({"wagtailimages", "wagtaildocs"})


def _collection_permissions_grant(*, group: Group, permissions: list[Permission]) -> None:
    """Give the group its image and document permissions on the root collection (so on every collection)."""
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    if root is None:  # a flushed database (transactional tests) has no collection tree yet
        return
    for permission in permissions:
        if permission.content_type.app_label in COLLECTION_PERMISSION_APPS:
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)


def roles_sync() -> None:
    """Create every role's group and give it exactly its permissions (idempotent)."""
    for role, group_name in ROLE_GROUP_NAMES.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        wanted = [perm for dotted in ROLE_PERMISSIONS[role] if (perm := _permission(dotted)) is not None]
        group.permissions.add(*wanted)
        _collection_permissions_grant(group=group, permissions=wanted)


def sync_roles_after_migrate(sender, **_kwargs) -> None:
    """Sync once per migrate, after the last app: only then do every app's permissions exist."""
    from django.apps import apps

    # Django emits post_migrate only for apps that have a models module.
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender.label == with_models[-1].label:
        roles_sync()


def role_group(role: Role) -> Group:
    return Group.objects.get(name=ROLE_GROUP_NAMES[role])


def user_roles(user: User) -> frozenset[Role]:
    """The roles a user holds now. Superusers hold the administrator role.

    Read from the database once per request (request.user is loaded per request), so a revoked
    role takes effect on the user's next request.
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_forebyg_roles", None)
    if cached is not None:
        return cached
    names = set(user.groups.values_list("name", flat=True))
    roles = {role for role, name in ROLE_GROUP_NAMES.items() if name in names}
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    user._forebyg_roles = frozenset(roles)
    return user._forebyg_roles


def user_roles_forget(user: User) -> None:
    """Drop the per-request cache after changing a user's groups in the same request."""
    user.__dict__.pop("_forebyg_roles", None)


def user_has_role(user: User, role: Role) -> bool:
    return role in user_roles(user)


def coordinator_municipality(*, user: User):
    """The municipality a coordinator acts for; None for anyone who is not a coordinator with one.

    Everything a coordinator sees is filtered by this one municipality (other municipalities → 404).
    """
    if user.is_authenticated and user.municipality_id and user_has_role(user, Role.COORDINATOR):
        return user.municipality
    return None
