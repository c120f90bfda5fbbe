"""Thin views of the shared core: the personal overview and the error pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .roles import Role, user_roles


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    roles = user_roles(request.user)
    return render(
        request,
        "learning/dashboard.html",
        {
            "roles": roles,
            "is_coordinator": Role.COORDINATOR in roles,
            "is_editor": Role.EDITOR in roles,
            "is_ssp_teacher": Role.SSP_TEACHER in roles,
            "is_administrator": Role.ADMINISTRATOR in roles,
        },
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
