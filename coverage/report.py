"""The annual report for the SSP steering group: a Danish PDF (fpdf2) built in the background.

``report_request`` creates a ``ReportExport`` and queues the task after commit; ``report_build`` (the
task's service) computes the figures and renders the PDF; safe to run twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from fpdf import FPDF

from learning.models import Municipality, User

from .models import ReportExport, TrainingTarget
from .services import Coverage, coverage_compute, coverage_monthly, end_of_day

logger = logging.getLogger(__name__)

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
MONTHS_DA = [
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
]  # fmt: skip


def report_request(*, municipality: Municipality, target: TrainingTarget, by: User, at: dt.datetime) -> ReportExport:
    if target.municipality_id != municipality.pk:
        raise ValidationError("target of another municipality")
    export = ReportExport.objects.create(
        municipality=municipality,
        target=target,
        requested_by=by,
        requested_at=at,
        as_of=timezone.localtime(at).date(),
    )
    report_queue(export_id=export.pk)
    return export


def report_queue(*, export_id: int) -> None:
    from .tasks import coverage_build_report

    def _queue() -> None:
        try:
            coverage_build_report.delay(export_id)
        except Exception:
            logger.exception("Could not queue report %s", export_id)

    transaction.on_commit(_queue)


def report_for(*, municipality: Municipality, public_id: Any) -> ReportExport | None:
    try:
        return ReportExport.objects.select_related("target").filter(public_id=public_id, municipality=municipality).first()
    except ValidationError:
        return None


@dataclass(frozen=True)
class InsightLine:
    title: str
    learners: int
    average_percent: int
    key_first_share: int | None


def report_insight(*, municipality: Municipality) -> list[InsightLine] | None:
    """Aggregate scenario insight from the quizzes app, or None when that service does not exist."""
    try:
        scenario_insight = import_string("quizzes.services.scenario_insight")
        from quizzes.models import ScenarioQuestion
    except ImportError:
        return None
    lines = []
    for scenario in ScenarioQuestion.objects.order_by("title"):
        insight = scenario_insight(scenario=scenario, municipality=municipality)
        if insight is None:
            continue
        key = next((row.percent for row in insight.first_actions if row.is_key), None)
        lines.append(InsightLine(scenario.title, insight.learners, insight.average_percent, key))
    return lines


def _date_da(value: dt.date) -> str:
    return f"{value.day}. {MONTHS_DA[value.month - 1]} {value.year}"


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def report_pdf_render(*, coverage: Coverage, municipality_name: str, insight: list[InsightLine] | None) -> bytes:
    """Render the annual report. Pure: everything printed comes in as arguments."""
    target = coverage.target
    forecast = coverage.forecast
    pdf = FPDF(format="A4")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(auto=True, margin=18)
    if all((DEJAVU_DIR / name).exists() for name in _FONT_FILES.values()):
        for style, name in _FONT_FILES.items():
            pdf.add_font("DejaVu", style, DEJAVU_DIR / name)
        family, clean = "DejaVu", str
    else:  # pragma: no cover - only without Debian's fonts-dejavu-core
        family, clean = "Helvetica", _latin1
    title = f"Uddannelsesdækning {target.period_end.year}: {municipality_name}"
    pdf.set_title(clean(title))
    pdf.set_lang("da")
    pdf.set_author("Forebyg")
    pdf.set_creator("Forebyg")
    pdf.set_subject(clean(f"Årsrapport til SSP-styregruppen – {target.name}"))
    pdf.add_page()
    width = pdf.epw

    def heading(text: str, size: int = 14) -> None:
        pdf.ln(3)
        pdf.set_font(family, "B", size)
        pdf.multi_cell(width, size * 0.55, clean(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        pdf.set_font(family, "", 10)

    def paragraph(text: str) -> None:
        pdf.set_font(family, "", 10)
        pdf.multi_cell(width, 5.5, clean(text), new_x="LMARGIN", new_y="NEXT")

    def table(header: list[str], rows: list[list[Any]], widths: list[float]) -> None:
        pdf.set_font(family, "B", 9)
        with pdf.table(col_widths=widths, text_align="LEFT", line_height=5.5, first_row_as_headings=True) as t:
            head = t.row()
            for cell in header:
                head.cell(clean(str(cell)))
            pdf.set_font(family, "", 9)
            for values in rows:
                row = t.row()
                for cell in values:
                    row.cell(clean(str(cell)))
        pdf.set_font(family, "", 10)

    heading(title, 18)
    paragraph(f"Årsrapport til SSP-styregruppen. Opgjort pr. {_date_da(coverage.ctx.as_of)}.")
    heading("Dækning i forhold til målet")
    totals = coverage.totals
    paragraph(
        f"Mål: »{target.name}« ({_date_da(target.period_start)} – {_date_da(target.period_end)}): "
        f"{target.target_count} medarbejdere. Uddannet i perioden: {totals.trained} ({coverage.percent:g} %)"
        + (f", heraf {totals.expired} med et bevis, der siden er udløbet." if totals.expired else ".")
    )
    paragraph(
        f"I gang: {totals.in_progress}. Ikke startet: {totals.not_started}. "
        f"Beviser der udløber inden for 60 dage: {totals.expiring_60d}. Medarbejdere i målgruppen: {totals.total}."
    )
    if forecast.met:
        paragraph(f"Målet blev nået {_date_da(forecast.met_on)}.")
    elif forecast.period_over:
        paragraph(f"Perioden er slut. Målet blev ikke nået; der manglede {forecast.shortfall_at_end}.")
    elif forecast.forecast_date:
        paragraph(
            f"Prognose med det nuværende tempo ({forecast.pace_per_day * 30:.1f} pr. måned): målet nås "
            f"{_date_da(forecast.forecast_date)}. Forventet ved periodens slutning: {forecast.projected_at_end}"
            + (f" (mangler {forecast.shortfall_at_end})." if forecast.shortfall_at_end else ".")
        )
    else:
        paragraph("Ingen er uddannet de seneste 90 dage, så der kan ikke laves en prognose.")

    heading("Fordelt på afdelinger")
    table(
        ["Afdeling", "I målgruppen", "Uddannet", "I gang", "Ikke startet", "Udløber ≤ 60 dage"],
        [
            [r.label, r.counts.total, r.counts.trained, r.counts.in_progress, r.counts.not_started, r.counts.expiring_60d]
            for r in coverage.by_department
        ],
        [60, 22, 20, 18, 22, 28],
    )
    heading("Fordelt på stillingsfunktioner")
    table(
        ["Stillingsfunktion", "I målgruppen", "Uddannet", "I gang", "Ikke startet"],
        [[r.label, r.counts.total, r.counts.trained, r.counts.in_progress, r.counts.not_started] for r in coverage.by_job_role],
        [70, 27, 27, 23, 27],
    )
    heading("Udvikling måned for måned")
    table(
        ["Måned", "Uddannet i måneden", "Uddannet i alt", "Jævnt tempo mod målet"],
        [
            [f"{MONTHS_DA[m.month.month - 1]} {m.month.year}", m.trained, m.cumulative, m.planned]
            for m in coverage_monthly(coverage=coverage)
        ],
        [50, 42, 40, 42],
    )
    heading("Hvordan medarbejderne svarer i scenarieøvelserne")
    if insight is None:
        paragraph("Afsnittet er udeladt: scenarieøvelsernes samlede resultater er ikke tilgængelige endnu.")
    elif not insight:
        paragraph("For få medarbejdere har løst de enkelte scenarier til, at resultaterne kan vises samlet.")
    else:
        paragraph("Kun samlede tal; scenarier med for få deltagere er udeladt.")
        table(
            ["Scenarie", "Deltagere", "Gns. score", "Valgte rigtige første handling"],
            [
                [line.title, line.learners, f"{line.average_percent} %", "" if line.key_first_share is None else f"{line.key_first_share} %"]
                for line in insight
            ],
            [80, 25, 25, 44],
        )
    pdf.ln(4)
    pdf.set_font(family, "", 8)
    pdf.multi_cell(
        width,
        4.5,
        clean(
            "Sådan tæller vi: en medarbejder tæller én gang, når vedkommende har et ikke-tilbagekaldt bevis for et "
            "af målets kurser, udstedt i perioden. Fratrådte medarbejdere indgår ikke. Kilde: Forebyg."
        ),
    )
    return bytes(pdf.output())


def report_build(*, export_id: int, at: dt.datetime) -> ReportExport | None:
    """Build the report's PDF unless it is done already."""
    claimed = ReportExport.objects.filter(pk=export_id, status__in=[ReportExport.Status.PENDING, ReportExport.Status.RUNNING])
    if not claimed.update(status=ReportExport.Status.RUNNING):
        return ReportExport.objects.filter(pk=export_id).first()
    export = ReportExport.objects.select_related("target", "municipality").get(pk=export_id)
    coverage = coverage_compute(target=export.target, at=min(end_of_day(export.as_of), at))
    content = report_pdf_render(
        coverage=coverage,
        municipality_name=export.municipality.name,
        insight=report_insight(municipality=export.municipality),
    )
    name = default_storage.save(
        f"coverage/reports/{export.as_of:%Y/%m}/aarsrapport-{secrets.token_hex(8)}.pdf", ContentFile(content)
    )
    updated = ReportExport.objects.filter(pk=export_id).exclude(status=ReportExport.Status.DONE).update(
        file=name, status=ReportExport.Status.DONE, finished_at=at
    )
    if not updated:
        default_storage.delete(name)
    export.refresh_from_db()
    return export


def report_mark_failed(*, export_id: int) -> None:
    ReportExport.objects.filter(pk=export_id).exclude(status=ReportExport.Status.DONE).update(
        status=ReportExport.Status.FAILED
    )
