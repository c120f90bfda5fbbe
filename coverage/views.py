"""Thin views of the coordinators' dashboard. Every id in a URL or query string is looked up within the
coordinator's own municipality; anything else is a 404."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learning.models import Municipality
from learning.roles import Role, user_has_role

from . import exports, report, roster
from .chart import burnup_chart
from .forms import ReminderSettingsForm, RosterUploadForm
from .models import AuditAction, ReportExport, TrainingTarget
from .services import (
    COUNTING_RULE,
    FORECAST_RULE,
    Status,
    audit_record,
    coordinator_municipality,
    coverage_compute,
    coverage_compute_cached,
    coverage_monthly,
    national_overview_cached,
    people_filter_validate,
    people_list,
    person_status,
    reminder_settings_for,
    reminder_settings_update,
    target_context,
    target_default,
    targets_for_municipality,
)

PEOPLE_PER_PAGE = 100


def coordinator_required(view):
    """Anonymous → login; not a coordinator with a municipality → 403; else ``municipality`` is passed in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        municipality = coordinator_municipality(user=request.user)
        if municipality is None:
            raise PermissionDenied
        return view(request, *args, municipality=municipality, **kwargs)

    return wrapper


def _target_from(request: HttpRequest, municipality: Municipality, *, required: bool) -> TrainingTarget | None:
    raw = (request.GET.get("target") or request.POST.get("target") or "").strip()
    if raw:
        # ASCII digits only, at most 18 ("²" and "٣" are digits to str.isdigit(), not all to int()).
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
            raise Http404
        target = TrainingTarget.objects.filter(pk=int(raw), municipality=municipality).first()
        if target is None:
            raise Http404
        return target
    if required:
        raise Http404
    return None


def _filters(request: HttpRequest, municipality: Municipality):
    filters = people_filter_validate(
        municipality=municipality,
        department=request.GET.get("department", ""),
        job_role=request.GET.get("job_role", ""),
        status=request.GET.get("status", ""),
    )
    if filters is None:
        raise Http404
    return filters


@require_GET
@coordinator_required
def dashboard(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    now = timezone.now()
    targets = list(targets_for_municipality(municipality=municipality))
    target = _target_from(request, municipality, required=False) or target_default(
        targets=targets, today=timezone.localdate(now)
    )
    context = {"municipality": municipality, "targets": targets, "target": target, "counting_rule": COUNTING_RULE}
    if target is not None:
        coverage = coverage_compute_cached(target=target, at=now)
        forecast = coverage.forecast
        context.update(
            coverage=coverage,
            forecast=forecast,
            forecast_rule=FORECAST_RULE,
            percent_bar=min(100, coverage.percent),
            chart=burnup_chart(
                period_start=target.period_start,
                period_end=target.period_end,
                as_of=coverage.ctx.as_of,
                target=target.target_count,
                daily_counts=coverage.daily_counts,
                forecast=forecast,
            ),
            monthly=coverage_monthly(coverage=coverage),
            courses=list(target.courses.all()),
            departments=list(target.audience_departments.all()),
            job_roles=target.audience_job_roles,
            reports=list(ReportExport.objects.filter(municipality=municipality, target=target)[:5]),
        )
    return render(request, "coverage/dashboard.html", context)


@require_GET
@coordinator_required
def people(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    now = timezone.now()
    target = _target_from(request, municipality, required=True)
    filters = _filters(request, municipality)
    coverage_ctx = target_context(target=target, at=now)
    paginator = Paginator(people_list(ctx=coverage_ctx, filters=filters), PEOPLE_PER_PAGE)
    page = paginator.get_page(request.GET.get("side"))
    rows = [(person, person_status(person)) for person in page.object_list]
    audit_record(
        actor=request.user,
        action=AuditAction.PEOPLE_VIEWED,
        municipality=municipality,
        detail={"target": target.pk, **filters.__dict__, "page": page.number, "shown": len(rows)},
        at=now,
        target=target,
    )
    query = {k: v for k, v in {"target": target.pk, **filters.__dict__}.items() if v}
    department_name = ""
    if filters.department and filters.department != "none":
        department_name = municipality.departments.get(pk=int(filters.department)).name
    return render(
        request,
        "coverage/people.html",
        {
            "municipality": municipality,
            "target": target,
            "filters": filters,
            "department_name": department_name,
            "status_label": Status.LABELS.get(filters.status, ""),
            "page": page,
            "rows": rows,
            "status_labels": Status.LABELS,
            "query": urlencode(query),
        },
    )


def _download(content: bytes, *, filename: str, kind: str) -> HttpResponse:
    content_type = (
        "text/csv; charset=utf-8"
        if kind == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _format(request: HttpRequest) -> str:
    kind = request.GET.get("format", "csv")
    if kind not in ("csv", "xlsx"):
        raise Http404
    return kind


@require_GET
@coordinator_required
def export_figures(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    kind = _format(request)
    target = _target_from(request, municipality, required=True)
    coverage = coverage_compute(target=target, at=timezone.now())
    header, rows = exports.figures_table(coverage=coverage)
    name = f"daekning-{target.period_end.year}-{target.pk}.{kind}"
    if kind == "csv":
        return _download(exports.to_csv(header=header, rows=rows), filename=name, kind=kind)
    return _download(exports.to_xlsx(header=header, rows=rows, title=_("Dækning")), filename=name, kind=kind)


@require_GET
@coordinator_required
def export_people(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    now = timezone.now()
    kind = _format(request)
    target = _target_from(request, municipality, required=True)
    filters = _filters(request, municipality)
    header, rows = exports.people_table(ctx=target_context(target=target, at=now), filters=filters)
    rows = list(rows)
    audit_record(
        actor=request.user,
        action=AuditAction.PEOPLE_EXPORTED,
        municipality=municipality,
        detail={"target": target.pk, **filters.__dict__, "format": kind, "rows": len(rows)},
        at=now,
        target=target,
    )
    name = f"medarbejdere-{target.period_end.year}-{target.pk}.{kind}"
    if kind == "csv":
        return _download(exports.to_csv(header=header, rows=rows), filename=name, kind=kind)
    return _download(exports.to_xlsx(header=header, rows=rows, title=_("Medarbejdere")), filename=name, kind=kind)


@require_POST
@coordinator_required
def report_create(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    target = _target_from(request, municipality, required=True)
    export = report.report_request(municipality=municipality, target=target, by=request.user, at=timezone.now())
    return redirect("coverage:report", public_id=export.public_id)


def _report(municipality: Municipality, public_id) -> ReportExport:
    export = report.report_for(municipality=municipality, public_id=public_id)
    if export is None:
        raise Http404
    return export


@require_GET
@coordinator_required
def report_detail(request: HttpRequest, municipality: Municipality, public_id) -> HttpResponse:
    export = _report(municipality, public_id)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": export.status,
                "label": export.get_status_display(),
                "download_url": reverse("coverage:report_download", kwargs={"public_id": export.public_id})
                if export.status == ReportExport.Status.DONE
                else "",
            }
        )
    return render(request, "coverage/report.html", {"municipality": municipality, "export": export})


@require_GET
@coordinator_required
def report_download(request: HttpRequest, municipality: Municipality, public_id) -> HttpResponse:
    export = _report(municipality, public_id)
    if export.status != ReportExport.Status.DONE or not export.file:
        raise Http404
    filename = f"aarsrapport-{export.target.period_end.year}-{municipality.slug}.pdf"
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")


@require_http_methods(["GET", "POST"])
@coordinator_required
def roster_upload(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    # Bound on every POST, even an empty one (so a POST without a file shows the error).
    posted = request.method == "POST"
    form = RosterUploadForm(request.POST if posted else None, request.FILES if posted else None)
    file_error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = roster.roster_parse(filename=upload.name, content=upload.read())
        except roster.RosterFileError as exc:
            file_error = str(exc)
        else:
            stored = roster.roster_upload_create(
                municipality=municipality, uploaded_by=request.user, filename=upload.name, rows=rows, at=timezone.now()
            )
            return redirect("coverage:roster_preview", public_id=stored.public_id)
    if file_error:
        form.add_error("file", file_error)
    return render(request, "coverage/roster_upload.html", {"municipality": municipality, "form": form})


@require_http_methods(["GET", "POST"])
@coordinator_required
def roster_preview(request: HttpRequest, municipality: Municipality, public_id) -> HttpResponse:
    upload = roster.roster_upload_for(user=request.user, municipality=municipality, public_id=public_id)
    if upload is None:
        raise Http404
    if request.method == "POST":
        now = timezone.now()
        try:
            result = roster.roster_import(municipality=municipality, rows=upload.rows, invited_by=request.user, at=now)
        except roster.RosterInvalid:
            messages.error(request, _("Listen har fejl og er ikke importeret. Ret filen, og upload den igen."))
            return redirect("coverage:roster_preview", public_id=upload.public_id)
        upload.imported_at = now
        upload.rows = []
        upload.save(update_fields=["imported_at", "rows"])
        audit_record(
            actor=request.user,
            action=AuditAction.ROSTER_IMPORTED,
            municipality=municipality,
            detail={"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
            at=now,
        )
        messages.success(
            request,
            _("Importeret: %(created)s nye (inviteret), %(updated)s opdateret, %(unchanged)s uændret.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        )
        return redirect("coverage:dashboard")
    rows = roster.roster_validate(municipality=municipality, rows=upload.rows)
    invalid = [row for row in rows if not row.valid]
    return render(
        request,
        "coverage/roster_preview.html",
        {
            "municipality": municipality,
            "upload": upload,
            "rows": rows,
            "invalid_count": len(invalid),
            "new_count": sum(1 for row in rows if row.existing_user_id is None),
        },
    )


@require_http_methods(["GET", "POST"])
@coordinator_required
def reminder_settings(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    current = reminder_settings_for(municipality=municipality)
    form = ReminderSettingsForm(request.POST if request.method == "POST" else None, instance=current)
    if request.method == "POST" and form.is_valid():
        reminder_settings_update(
            municipality=municipality,
            cadence_days=form.cleaned_data["cadence_days"],
            paused=form.cleaned_data["paused"],
            stalled_after_days=form.cleaned_data["stalled_after_days"],
        )
        messages.success(request, _("Indstillingerne for påmindelser er gemt."))
        return redirect("coverage:reminder_settings")
    return render(request, "coverage/reminder_settings.html", {"municipality": municipality, "form": form})


@require_GET
def national(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user_has_role(request.user, Role.ADMINISTRATOR):
        raise PermissionDenied
    rows = national_overview_cached(at=timezone.now())
    return render(request, "coverage/national.html", {"rows": rows})
