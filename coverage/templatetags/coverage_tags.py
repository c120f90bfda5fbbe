"""The dashboard's breakdown tables, rendered in Python: a large municipality has hundreds of departments
with six linked figures each, and the template language would spend most of the request on them."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

from coverage.services import BreakdownRow

register = template.Library()

# (status filter, Counts field, accessible name of the link: which number, for which row, what it opens)
CELLS = (
    ("", "total", gettext_noop("%(n)s i målgruppen, %(label)s: vis personerne")),
    ("trained", "trained", gettext_noop("%(n)s uddannet, %(label)s: vis personerne")),
    ("expired", "expired", gettext_noop("%(n)s uddannet med udløbet bevis, %(label)s: vis personerne")),
    ("in_progress", "in_progress", gettext_noop("%(n)s i gang, %(label)s: vis personerne")),
    ("not_started", "not_started", gettext_noop("%(n)s ikke startet, %(label)s: vis personerne")),
    ("expiring", "expiring_60d", gettext_noop("%(n)s med bevis der udløber inden for 60 dage, %(label)s: vis personerne")),
)


@register.simple_tag
def coverage_breakdown_rows(rows: Iterable[BreakdownRow], *, param: str, target_id: int) -> SafeString:
    """The table body rows: the row's label, then each figure linking to the people behind it (the same
    markup the template wrote; every text is escaped here)."""
    number = number_format if settings.USE_THOUSAND_SEPARATOR else str
    base = f"{reverse('coverage:people')}?target={target_id}&{param}="
    labels = [(f"&status={status}" if status else "", field, gettext(text)) for status, field, text in CELLS]
    html = []
    for row in rows:
        href = base + quote(str(row.key), safe="")
        html.append(f'<tr>\n      <th scope="row">{escape(row.label)}</th>')
        for status, field, text in labels:
            n = number(getattr(row.counts, field))
            html.append(
                f'      <td class="numeric"><a href="{escape(href + status)}" '
                f'aria-label="{escape(text % {"n": n, "label": row.label})}">{escape(n)}</a></td>'
            )
        html.append("    </tr>")
    return mark_safe("\n".join(html))  # noqa: S308 (every value above is escaped)
