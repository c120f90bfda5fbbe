"""A small course tree for the course tests: home → index → course → modules → lessons."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from wagtail.models import Locale, Page, Site

from courses.models import CourseIndexPage, CoursePage, HomePage, LessonPage, ModulePage

TEXT = [{"type": "text", "value": "<p>Radikalisering er en proces.</p>"}]


@dataclass
class Tree:
    home: HomePage
    index: CourseIndexPage
    course: CoursePage
    modules: list[ModulePage] = field(default_factory=list)
    lessons: list[list[LessonPage]] = field(default_factory=list)

    @property
    def all_lessons(self) -> list[LessonPage]:
        return [lesson for module_lessons in self.lessons for lesson in module_lessons]


def publish_child(parent: Page, page: Page) -> Page:
    """Add a live page (pages are live by default; revisions are not needed here)."""
    parent.add_child(instance=page)
    return page


def build_tree(*, modules: int = 2, lessons: int = 2, next_review: datetime.date | None = None) -> Tree:
    danish = Locale.objects.get_or_create(language_code="da")[0]
    # Transactional (browser) tests start from a flushed database without Wagtail's tree root.
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root", locale=danish)
    home = publish_child(root, HomePage(title="Forside", slug="forside-test"))
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    index = publish_child(home, CourseIndexPage(title="Kurser", slug="kurser"))
    course = publish_child(index, CoursePage(title="Forebyggelse", slug="forebyggelse", intro="<p>Intro</p>"))
    tree = Tree(home=home, index=index, course=course)
    for m in range(1, modules + 1):
        module = publish_child(
            course,
            ModulePage(
                title=f"Modul {m}",
                slug=f"modul-{m}",
                summary=f"Resumé {m}",
                next_review=next_review or datetime.date(2099, 1, 1),
                sources=[{"type": "source", "value": {"source": "003", "section": "§3.1", "note": ""}}],
            ),
        )
        tree.modules.append(module)
        tree.lessons.append(
            [
                publish_child(
                    module, LessonPage(title=f"Lektion {m}.{n}", slug=f"lektion-{m}-{n}", body=TEXT)
                )
                for n in range(1, lessons + 1)
            ]
        )
    return tree
