"""The accessibility statement (/was) covers what Digitaliseringsstyrelsen's template requires."""

import pytest

pytestmark = pytest.mark.django_db


def test_was_redirects_to_a_complete_statement_linked_from_every_page(client, demo):
    redirect = client.get("/was")
    assert redirect.status_code in (301, 302)
    response = client.get(redirect["Location"])
    assert response.status_code == 200
    html = response.content.decode()
    for required in (
        "Overholdelsesstatus",  # compliance status
        "overholder delvist",
        "Ikke-tilgængeligt indhold",  # non-accessible content
        "Feedback og kontaktoplysninger",  # feedback mechanism and contact
        "tilgaengelighed@forebyg.example",
        "Håndhævelsesprocedure",  # enforcement procedure
        "Digitaliseringsstyrelsen",
        "https://www.was.digst.dk/",
        "Erklæringen er udarbejdet den",  # date
    ):
        assert required in html, required
    assert "&lt;h3&gt;" not in html  # rendered as headings, not shown as markup
    home = client.get("/").content.decode()
    assert 'href="/was"' in home or "tilgaengelighedserklaering" in home
