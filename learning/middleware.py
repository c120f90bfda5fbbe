"""Security headers for every response."""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase

# Wagtail's and Django's admin still rely on inline scripts and eval (Wagtail is not yet fully
# CSP-compatible), so the editorial back office gets a relaxed script policy. It is only reachable for
# logged-in editors and administrators with MFA; every public and learner page keeps the strict policy.
ADMIN_PREFIXES = ("/admin/", "/django-admin/")
ADMIN_POLICY_UPDATE = {
    "script-src": ["'unsafe-inline'", "'unsafe-eval'"],
    "img-src": ["blob:"],
    "frame-ancestors": ["'self'"],
}


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIXES):
            parts.update = {**(parts.update or {}), **ADMIN_POLICY_UPDATE}
        return parts


class PermissionsPolicyMiddleware:
    """Turn off browser features the platform never uses."""

    POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.POLICY)
        return response


MFA_EXEMPT_PREFIXES = ("/konto/", "/en/konto/", "/static/", "/i18n/", "/media/", "/api/")


class RequireMFAMiddleware:
    """Coordinators, editors and administrators must enrol a second factor before anything else.

    allauth then asks for the code at every login; this middleware closes the gap for accounts that
    hold such a role but have not enrolled yet (e.g. a role granted after their last login).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path_info.startswith(MFA_EXEMPT_PREFIXES)
        ):
            from django.contrib import messages
            from django.shortcuts import redirect
            from django.utils.translation import gettext as _

            from .mfa import user_has_mfa, user_requires_mfa

            if user_requires_mfa(user) and not user_has_mfa(user):
                messages.warning(
                    request,
                    _("Din rolle kræver to-faktor-godkendelse. Opsæt en godkendelses-app, før du fortsætter."),
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)
