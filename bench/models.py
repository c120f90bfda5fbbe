"""Reference models of `make bench` (docs/benchmarks.md). Only installed with BENCH_REFERENCES=1."""

from __future__ import annotations

from django.db import models
from wagtail.fields import StreamField
from wagtail.models import Page

from courses.blocks import LESSON_BLOCKS


class BenchInsert(models.Model):
    """The INSERT reference: one row per POST, holding the request body (like the real POST scenarios)."""

    body = models.TextField()
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.pk} · {self.created_at:%H:%M:%S}"


class BenchPlainPage(Page):
    """The plain Wagtail reference: the same StreamField blocks as a lesson, served by Wagtail's own
    ``serve()`` to anyone, without the course pages' login, progress and navigation logic."""

    body = StreamField(LESSON_BLOCKS, blank=True)

    parent_page_types = ["courses.HomePage"]
    subpage_types: list[str] = []
    template = "bench/plain_page.html"
