"""Thin views: learners' certificates, public verification, Open Badges, coordinators' revoke and export."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import badges, services
from .forms import ExportForm, RevokeForm, VerifyForm
from .models import Certificate, CertificateExport
from .ratelimit import client_ip, rate_limit_exceeded

RATE_WINDOW_SECONDS = 60


def rate_limited(view):
    """Per client IP, at most CERTIFICATE_VERIFY_RATE_LIMIT lookups a minute across verify and badge views."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        limit = getattr(settings, "CERTIFICATE_VERIFY_RATE_LIMIT", 30)
        if rate_limit_exceeded(
            scope="certificate-lookup",
            key=client_ip(request),
            limit=limit,
            window_seconds=RATE_WINDOW_SECONDS,
            at=timezone.now(),
        ):
            response = render(request, "certificates/rate_limited.html", status=429)
            response["Retry-After"] = str(RATE_WINDOW_SECONDS)
            return response
        return view(request, *args, **kwargs)

    return wrapper


def _noindex(response: HttpResponse) -> HttpResponse:
    # Verification pages carry a person's name: keep them out of search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


# --- Learners ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def my_certificates(request: HttpRequest) -> HttpResponse:
    at = timezone.now()
    certificates = (
        Certificate.objects.filter(user=request.user).select_related("course").order_by("-issued_at")
    )
    rows = [
        {
            "certificate": certificate,
            "standing": certificate.standing_at(at),
            "can_refresh": services.certificate_can_start_refresher(certificate=certificate, at=at),
            "refresher_open": any(r.completed_certificate_id is None for r in certificate.refreshers.all()),
        }
        for certificate in certificates.prefetch_related("refreshers")
    ]
    return render(request, "certificates/my_certificates.html", {"rows": rows})


@login_required
@require_GET
def certificate_pdf(request: HttpRequest, code: str) -> HttpResponse:
    certificate = services.certificate_for_download(user=request.user, code=code)
    if certificate is None:
        raise Http404
    content = services.certificate_pdf_bytes(certificate=certificate)
    response = HttpResponse(content, content_type="application/pdf")
    filename = services.certificate_pdf_filename(certificate=certificate)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def start_refresher(request: HttpRequest, code: str) -> HttpResponse:
    certificate = Certificate.objects.filter(user=request.user, code=services.code_candidate(code)).first()
    if certificate is None:
        raise Http404
    try:
        services.certificate_start_refresher(certificate=certificate, at=timezone.now())
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _(
                "Du er tilmeldt genopfriskning af «%(course)s». Når du har gennemført kurset igen, får du et nyt bevis."
            )
            % {"course": certificate.course_title},
        )
    return redirect("certificates:mine")


# --- Public verification -----------------------------------------------------------------------------------


@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        code = services.code_from_user_input(form.cleaned_data["code"])
        if code and "/" not in code:  # a "/" left over is no code (and no verification URL can hold it)
            return redirect("certificates:verify", code=code)
        form.add_error("code", _("Skriv bevisets verifikationskode."))
    return _noindex(render(request, "certificates/verify_form.html", {"form": form}))


@require_GET
@rate_limited
def verify(request: HttpRequest, code: str) -> HttpResponse:
    certificate = services.certificate_find_by_code(code=code)
    # Unknown and malformed codes get the very same page (200, "Ukendt bevis"): the page answers the
    # question "is this a valid certificate?", and "we know no such certificate" is an answer, not an
    # error. The code is never echoed, so the two responses are byte-identical.
    standing = certificate.standing_at(timezone.now()) if certificate is not None else "unknown"
    return _noindex(
        render(request, "certificates/verify.html", {"certificate": certificate, "standing": standing})
    )


# --- Open Badges --------------------------------------------------------------------------------------------


def _badge_certificate(code: str) -> Certificate | HttpResponse:
    certificate = services.certificate_find_by_code(code=code)
    if certificate is None:
        return JsonResponse({"error": "not_found"}, status=404)
    if certificate.status == Certificate.Status.REVOKED:
        return JsonResponse(
            {
                "error": "revoked",
                "revokedAt": certificate.revoked_at.isoformat() if certificate.revoked_at else None,
            },
            status=410,
        )
    return certificate


def _public_json(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@rate_limited
def badge_json(request: HttpRequest, code: str) -> HttpResponse:
    certificate = _badge_certificate(code)
    if isinstance(certificate, HttpResponse):
        return _public_json(certificate)
    return _public_json(
        JsonResponse(
            badges.badge_credential(certificate=certificate),
            content_type="application/ld+json",
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
    )


@require_GET
@rate_limited
def badge_jwt(request: HttpRequest, code: str) -> HttpResponse:
    certificate = _badge_certificate(code)
    if isinstance(certificate, HttpResponse):
        return _public_json(certificate)
    token = badges.badge_jwt(certificate=certificate, at=timezone.now())
    return _public_json(HttpResponse(token, content_type=badges.JWT_MEDIA_TYPE))


@require_GET
def jwks(request: HttpRequest) -> HttpResponse:
    badges.signing_key_active(at=timezone.now())  # publish a key even before the first badge is fetched
    response = JsonResponse(badges.jwks(), content_type="application/jwk-set+json")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def issuer(request: HttpRequest) -> HttpResponse:
    return _public_json(
        JsonResponse(
            badges.badge_issuer_profile(),
            content_type="application/ld+json",
            json_dumps_params={"ensure_ascii": False},
        )
    )


# --- Coordinators ---------------------------------------------------------------------------------------------


def coordinator_required(view):
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        municipality = services.coordinator_municipality(user=request.user)
        if municipality is None:
            raise PermissionDenied
        return view(request, municipality, *args, **kwargs)

    return wrapper


@coordinator_required
@require_http_methods(["GET", "POST"])
def coordinator_index(request: HttpRequest, municipality) -> HttpResponse:
    # Bound on every POST, even an empty one (so the 400 shows why).
    export_form = ExportForm(request.POST if request.method == "POST" else None, municipality=municipality)
    if request.method == "POST" and export_form.is_valid():
        export = services.certificate_export_request(
            by=request.user, department=export_form.cleaned_data["department"], at=timezone.now()
        )
        return redirect("certificates:export", public_id=export.public_id)
    at = timezone.now()
    certificates = services.certificates_for_coordinator(user=request.user).order_by(
        "learner_name", "-issued_at"
    )
    department_id = request.GET.get("afdeling", "")
    if department_id.isascii() and department_id.isdigit() and len(department_id) <= 18:
        # Another municipality's department is answered like one that does not exist.
        if not municipality.departments.filter(pk=int(department_id)).exists():
            raise Http404
        certificates = certificates.filter(department_id=int(department_id))
    rows = [{"certificate": c, "standing": c.standing_at(at)} for c in certificates[:500]]
    exports = CertificateExport.objects.filter(municipality=municipality).select_related("department")[:10]
    return render(
        request,
        "certificates/coordinator_index.html",
        {
            "municipality": municipality,
            "rows": rows,
            "export_form": export_form,
            "exports": exports,
            "departments": municipality.departments.all(),
            "selected_department": department_id,
        },
        status=400 if request.method == "POST" else 200,
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def coordinator_revoke(request: HttpRequest, municipality, code: str) -> HttpResponse:
    certificate = (
        services.certificates_for_coordinator(user=request.user)
        .filter(code=services.code_candidate(code))
        .first()
    )
    if certificate is None:
        raise Http404
    form = RevokeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate,
                by=request.user,
                reason=form.cleaned_data["reason"],
                at=timezone.now(),
            )
        except ValidationError as exc:
            form.add_error("reason", exc)
        else:
            messages.success(
                request,
                _("Beviset for %(name)s er tilbagekaldt.")
                % {"name": certificate.learner_name or _("medarbejderen")},
            )
            return redirect("certificates:coordinator")
    return render(
        request,
        "certificates/coordinator_revoke.html",
        {"certificate": certificate, "form": form, "standing": certificate.standing_at(timezone.now())},
        status=400 if request.method == "POST" else 200,
    )


@coordinator_required
@never_cache
@require_GET
def export_status(request: HttpRequest, municipality, public_id) -> HttpResponse:
    export = services.certificate_export_for_coordinator(user=request.user, public_id=public_id)
    if export is None:
        raise Http404
    template = (
        "certificates/includes/export_status.html"
        if request.headers.get("HX-Request")
        else "certificates/export.html"
    )
    return render(request, template, {"export": export})


@coordinator_required
@require_GET
def export_download(request: HttpRequest, municipality, public_id) -> HttpResponse:
    export = services.certificate_export_for_coordinator(user=request.user, public_id=public_id)
    if export is None or export.status != CertificateExport.Status.DONE or not export.file:
        raise Http404
    filename = f"beviser-{export.department.name}-{timezone.localtime(export.requested_at):%Y-%m-%d}.zip"
    response = FileResponse(
        export.file.open("rb"), as_attachment=True, filename=filename, content_type="application/zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response
