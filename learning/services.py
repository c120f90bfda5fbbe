"""Services of the shared core: organisations, users and roles. Keyword-only, typed, no request objects."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.module_loading import import_string

from .models import Department, Municipality, User
from .roles import ROLE_GROUP_NAMES, Role, role_group, user_roles_forget

# Functions ``(*, user) -> None`` called (in the caller's transaction) after a service here changed a
# user's municipality, department, job role, active state or roles. Apps append theirs.
USER_CHANGED_HANDLERS: list[str] = [
    "coverage.summary.staff_member_refresh",  # the dashboard's copy of where the person works
]


def municipality_upsert(*, slug: str, name: str) -> Municipality:
    municipality, _created = Municipality.objects.update_or_create(slug=slug, defaults={"name": name})
    return municipality


def department_upsert(*, municipality: Municipality, name: str, kind: str) -> Department:
    department, _created = Department.objects.update_or_create(
        municipality=municipality, name=name, defaults={"kind": kind}
    )
    return department


@transaction.atomic
def user_upsert(
    *,
    email: str,
    first_name: str,
    last_name: str = "",
    municipality: Municipality | None,
    department: Department | None = None,
    job_role: str = "",
    roles: set[Role],
    password: str | None = None,
) -> User:
    """Create or update a user and give them exactly `roles` (by group membership)."""
    email = email.strip().lower()
    user, created = User.objects.get_or_create(email=email, defaults={"first_name": first_name})
    user.first_name = first_name
    user.last_name = last_name
    user.municipality = municipality
    user.department = department
    user.job_role = job_role
    user.is_superuser = Role.ADMINISTRATOR in roles
    # Wagtail's admin and Django's admin both key on is_staff; only admins use Django's admin.
    user.is_staff = Role.ADMINISTRATOR in roles
    if password is not None and (created or not user.check_password(password)):
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.save()
    user_set_roles(user=user, roles=roles)
    return user


def user_set_roles(*, user: User, roles: set[Role]) -> None:
    role_groups = Group.objects.filter(name__in=ROLE_GROUP_NAMES.values())
    user.groups.remove(*role_groups)
    user.groups.add(*(role_group(role) for role in roles))
    user_roles_forget(user)
    user_changed(user=user)


def user_changed(*, user: User) -> None:
    """Tell the registered apps that the user's workplace, roles or active state may have changed."""
    for dotted in USER_CHANGED_HANDLERS:
        import_string(dotted)(user=user)


def user_mark_email_verified(*, user: User) -> None:
    """Record the user's address as verified, so allauth lets them in (used for invited and demo users)."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


