"""Demo pages of the site shell: the home page (Danish, with an English translation) and the
accessibility statement with its short /was address."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.db import transaction
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Locale, Page, Site

from .models import (
    CourseIndexPage,
    CoursePage,
    HomePage,
    InfoPage,
    LessonPage,
    LocalOrganisationPage,
    ModulePage,
)
from .services import page_ensure_translation, pages_grant_editor_permissions

HOME_INTRO_DA = (
    "<p>Forebyg træner frontmedarbejdere i at genkende tegn på radikalisering og i at sende en bekymring "
    "det rigtige sted hen: hvem du skal kontakte, hvornår og efter hvilken pligt.</p>"
)

ACCESSIBILITY_BODY_DA = [
    (
        "text",
        "<p>Forebyg ønsker at være tilgængelig for alle. Denne erklæring gælder for forebyg-platformen "
        "(alle sider på dette websted) og er udarbejdet efter Digitaliseringsstyrelsens skabelon og lov om "
        "tilgængelighed af offentlige organers websteder og mobilapplikationer.</p>"
        "<h3>Overholdelsesstatus</h3><p>Webstedet overholder delvist Webstandard for tilgængelighed, "
        "WCAG 2.1 niveau AA (EN 301 549), på grund af de mangler, der er nævnt nedenfor. Vi tester alle "
        "sidetyper automatisk med axe-core og manuelt med tastatur og skærmlæser.</p>"
        "<h3>Ikke-tilgængeligt indhold</h3><p>Interaktive H5P-aktiviteter kommer fra H5P-formatet og "
        "overholder ikke nødvendigvis alle krav (fx fokusrækkefølge og tekstalternativer i enkelte "
        "aktivitetstyper). Vi tester hver aktivitetstype, før den tages i brug. Kendte mangler tilføjes her, "
        "så snart vi finder dem.</p>"
        "<h3>Udarbejdelse af erklæringen</h3><p>Erklæringen er udarbejdet den 1. november 2026 på grundlag "
        "af en selvevaluering og senest gennemgået den 1. november 2026.</p>"
        "<h3>Feedback og kontaktoplysninger</h3><p>Oplever du problemer med tilgængeligheden, eller har du "
        "brug for indholdet i en anden form, så skriv til tilgaengelighed@forebyg.example eller til din "
        "kommunes koordinator. Vi svarer inden for 14 dage.</p>"
        "<h3>Håndhævelsesprocedure</h3><p>Er du ikke tilfreds med vores svar, kan du klage til "
        "Digitaliseringsstyrelsen, som fører tilsyn med loven: "
        '<a href="https://www.was.digst.dk/">www.was.digst.dk</a>.</p>',
    ),
]


@transaction.atomic
def demo_seed_site_pages(report) -> None:
    danish = Locale.objects.get_or_create(language_code="da")[0]
    english = Locale.objects.get_or_create(language_code="en")[0]
    # Wagtail's migrations create the tree root; a flushed database (transactional tests) has none.
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root", locale=danish)
    home = HomePage.objects.filter(locale=danish).first()
    if home is None:
        home = HomePage(
            title="Forebyg – viden der virker, når det gælder", slug="forside", intro=HOME_INTRO_DA
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        # The default site points at Wagtail's placeholder page until it is moved over to ours.
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost", root_page=home, is_default_site=True, site_name="Forebyg"
            )
        else:
            placeholder = site.root_page
            site.root_page = home
            site.site_name = "Forebyg"
            site.save()
            if placeholder.id != home.id and placeholder.specific_class is Page:
                placeholder.delete()
    page_ensure_translation(
        page=home, locale=english, title="Forebyg – training for preventing radicalisation"
    )

    statement = InfoPage.objects.filter(locale=danish, slug="tilgaengelighedserklaering").first()
    if statement is None:
        statement = InfoPage(
            title="Tilgængelighedserklæring",
            slug="tilgaengelighedserklaering",
            body=ACCESSIBILITY_BODY_DA,
            last_reviewed=datetime.date(2026, 11, 1),
        )
        home.add_child(instance=statement)
        statement.save_revision().publish()
    page_ensure_translation(page=statement, locale=english, title="Accessibility statement")
    Redirect.objects.get_or_create(
        old_path="/was", site=None, defaults={"redirect_page": statement, "is_permanent": False}
    )
    pages_grant_editor_permissions(root_page=home)


# --- The course ------------------------------------------------------------------------------------------

CONTENT_DIR = Path(__file__).resolve().parent / "content"

COURSE_INDEX_SLUG = "kurser"
COURSE_INDEX_INTRO_DA = "<p>Her finder du platformens kurser og en side om, hvem der gør hvad i din kommune, når du er bekymret.</p>"


def _content(name: str):
    with (CONTENT_DIR / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def _child(parent: Page, model: type[Page], slug: str, build) -> Page:
    """The live child of `parent` with this slug, created and published from `build()` if missing."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    page = build()
    page.slug = slug
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _h5p_activity(slug: str, titles: dict[str, str]):
    """Find or create the H5P activity by slug; its status is the H5P app's business."""
    from interactive.models import H5PActivity

    activity, _created = H5PActivity.objects.get_or_create(
        slug=slug, defaults={"title": titles.get(slug, slug)}
    )
    return activity


def _lesson_body(blocks: list[dict], h5p_titles: dict[str, str]) -> list[dict]:
    """The content files' blocks as StreamField JSON. Scenario blocks are skipped: the quizzes app
    wires them into lessons itself."""
    body = []
    for block in blocks:
        kind = block["type"]
        if kind == "text":
            value = block["html"]
        elif kind == "callout":
            value = {"kind": block["kind"], "title": block["title"], "text": block["html"]}
        elif kind == "source_quote":
            value = {"quote": block["quote"], "source": block["source"], "section": block.get("section", "")}
        elif kind == "warning_signs":
            value = {
                "intro": block.get("intro", ""),
                "groups": [{"group": group["group"], "signs": group["signs"]} for group in block["groups"]],
            }
        elif kind == "prevention_triangle":
            value = {
                "intro": block.get("intro", ""),
                "levels": [
                    {
                        "level": level["level"],
                        "title": level.get("title", ""),
                        "description": level["description"],
                        "who": level.get("who", []),
                        "source": level.get("source", ""),
                    }
                    for level in block["levels"]
                ],
            }
        elif kind == "h5p":
            value = _h5p_activity(block["activity"], h5p_titles).pk
        elif kind == "scenario":
            continue
        else:
            raise ValueError(f"Unknown block type in course content: {kind!r}")
        body.append({"type": kind, "value": value})
    return body


def _translate(page: Page, english: Locale, title: str, **fields) -> Page:
    """The English translation of `page` with an English title; `fields` (e.g. an English intro)
    replace the Danish copy only while the translation still holds the Danish text."""
    translation = page_ensure_translation(page=page, locale=english, title=title).specific
    changed = [name for name, value in fields.items() if getattr(translation, name) == getattr(page, name)]
    for name in changed:
        setattr(translation, name, fields[name])
    if changed:
        translation.save_revision().publish()
    return translation


@transaction.atomic
def demo_seed_courses(report) -> None:
    from learning.models import Municipality

    danish = Locale.objects.get(language_code="da")
    english = Locale.objects.get_or_create(language_code="en")[0]
    home = HomePage.objects.get(locale=danish)
    course_data = _content("course.json")
    h5p_titles = {item["slug"]: item["title_da"] for item in _content("h5p.json")}
    modules_data = [_content(name) for name in course_data["modules"]]

    index = _child(
        home,
        CourseIndexPage,
        COURSE_INDEX_SLUG,
        lambda: CourseIndexPage(title="Kurser", intro=COURSE_INDEX_INTRO_DA),
    )
    course = _child(
        index,
        CoursePage,
        course_data["slug"],
        lambda: CoursePage(
            title=course_data["title_da"],
            intro=f"<p>{course_data['intro_da']}</p>",
            estimated_minutes=sum(module["estimated_minutes"] for module in modules_data),
            certificate_validity_months=24,
        ),
    )
    lessons_total = 0
    for data in modules_data:
        module = _child(
            course,
            ModulePage,
            data["slug"],
            lambda data=data: ModulePage(
                title=data["title_da"],
                summary=data["summary_da"],
                estimated_minutes=data["estimated_minutes"],
                next_review=datetime.date.fromisoformat(data["next_review"]),
                sources=[
                    {
                        "type": "source",
                        "value": {"source": s["file"], "section": s.get("section", ""), "note": ""},
                    }
                    for s in data["sources"]
                ],
            ),
        )
        for lesson_data in data["lessons"]:
            _child(
                module,
                LessonPage,
                lesson_data["slug"],
                lambda lesson_data=lesson_data: LessonPage(
                    title=lesson_data["title_da"], body=_lesson_body(lesson_data["body"], h5p_titles)
                ),
            )
            lessons_total += 1

    municipalities = {m.slug: m for m in Municipality.objects.all()}
    local_pages = []
    for slug, data in _content("local_organisation.json").items():
        municipality = municipalities.get(slug)
        if municipality is None:
            report.notes.append(
                f"Din lokale organisation: kommunen {slug!r} findes ikke; siden er sprunget over."
            )
            continue
        page = _child(
            index,
            LocalOrganisationPage,
            f"lokal-organisation-{slug}",
            lambda data=data, municipality=municipality: LocalOrganisationPage(
                title=data["title_da"],
                municipality=municipality,
                intro=data["intro_html"],
                body=[
                    {
                        "type": "organisation",
                        "value": {
                            "name": body["name"],
                            "description": body["description_da"],
                            "source": body["source"],
                            "section": body.get("section", ""),
                        },
                    }
                    for body in data["bodies"]
                ],
            ),
        )
        local_pages.append((page, data))

    # English: titles, the course intro and module summaries; lesson bodies stay Danish (the pages say so).
    _translate(
        index,
        english,
        "Courses",
        intro="<p>The platform's courses, and who does what in your municipality.</p>",
    )
    _translate(course, english, course_data["title_en"], intro=f"<p>{course_data['intro_en']}</p>")
    for data in modules_data:
        module = ModulePage.objects.child_of(course).get(slug=data["slug"])
        _translate(module, english, data["title_en"], summary=data["summary_en"])
        for lesson_data in data["lessons"]:
            lesson = LessonPage.objects.child_of(module).get(slug=lesson_data["slug"])
            _translate(lesson, english, lesson_data["title_en"])
    for page, data in local_pages:
        _translate(page, english, data["title_en"])

    report.notes.append(
        f"Kursus: »{course.title}« med {len(modules_data)} moduler og {lessons_total} lektioner på {course.url}"
    )
