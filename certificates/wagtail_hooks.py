"""Wagtail admin: a menu item that takes coordinators to their municipality's certificates."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .services import coordinator_municipality


class CoordinatorCertificatesMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return coordinator_municipality(user=request.user) is not None


@hooks.register("register_admin_menu_item")
def register_certificates_menu_item():
    return CoordinatorCertificatesMenuItem(
        _("Kursusbeviser"), reverse("certificates:coordinator"), icon_name="doc-full", order=900
    )
