"""What every page of the site shell needs: the navigation and the current user's roles."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from .roles import ROLE_LABELS, Role, user_roles


def site_shell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    roles = user_roles(user) if user is not None else frozenset()
    nav = [{"label": _("Forside"), "url": "/"}]
    if user is not None and user.is_authenticated:
        nav.append({"label": _("Mit overblik"), "url": reverse("dashboard")})
    return {
        "site_nav": nav,
        "user_roles": roles,
        "user_role_labels": [str(ROLE_LABELS[role]) for role in Role if role in roles],
        "Role": Role,
    }
