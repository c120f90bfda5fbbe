"""Demo pages of the site shell: the home page (Danish, with an English translation) and the
accessibility statement with its short /was address."""

from __future__ import annotations

import datetime

from django.db import transaction
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Locale, Page, Site

from .models import HomePage, InfoPage
from .services import page_ensure_translation, pages_grant_editor_permissions

HOME_INTRO_DA = (
    "<p>Forebyg træner frontmedarbejdere i at genkende tegn på radikalisering og i at sende en bekymring "
    "det rigtige sted hen: hvem du skal kontakte, hvornår og efter hvilken pligt.</p>"
)

ACCESSIBILITY_BODY_DA = [
    (
        "text",
        "<p>Forebyg ønsker at være tilgængelig for alle. Løsningen er bygget efter "
        "Webstandard for tilgængelighed, WCAG 2.1 niveau AA, som lov om tilgængelighed af offentlige "
        "organers websteder og mobilapplikationer kræver.</p>"
        "<h3>Overholdelsesstatus</h3><p>Vi tester alle sidetyper automatisk med axe-core og manuelt med "
        "tastatur og skærmlæser. Kendte mangler står nedenfor, så snart vi finder dem.</p>"
        "<h3>Kendte mangler</h3><p>Interaktive H5P-aktiviteter kommer fra H5P-formatet; vi tester hver "
        "aktivitetstype, før den tages i brug.</p>"
        "<h3>Feedback og kontakt</h3><p>Oplever du problemer med tilgængeligheden, så skriv til din "
        "kommunes koordinator eller til platformens support. Du kan også klage til Digitaliseringsstyrelsen, "
        "som fører tilsyn med loven.</p>",
    ),
]


@transaction.atomic
def demo_seed_site_pages(report) -> None:
    danish = Locale.objects.get_or_create(language_code="da")[0]
    english = Locale.objects.get_or_create(language_code="en")[0]
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=danish).first()
    if home is None:
        home = HomePage(title="Forebyg – viden der virker, når det gælder", slug="forside", intro=HOME_INTRO_DA)
        root.add_child(instance=home)
        home.save_revision().publish()
        # The default site points at Wagtail's placeholder page until it is moved over to ours.
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, site_name="Forebyg")
        else:
            placeholder = site.root_page
            site.root_page = home
            site.site_name = "Forebyg"
            site.save()
            if placeholder.id != home.id and placeholder.specific_class is Page:
                placeholder.delete()
    page_ensure_translation(page=home, locale=english, title="Forebyg – training for preventing radicalisation")

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
