"""The anonymous full-page cache (learning.cache) that the public-page benchmark relies on."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning.cache import TOKEN_PLACEHOLDER
from tests.courses.factories import build_tree
from tests.factories import UserFactory


@pytest.fixture
def tree(db):
    cache.clear()
    yield build_tree(modules=1, lessons=1)
    cache.clear()


def _token(html: str) -> str:
    marker = 'name="csrfmiddlewaretoken" value="'
    return html.split(marker, 1)[1].split('"', 1)[0]


def test_anonymous_public_page_is_served_from_cache_with_its_own_csrf_token(client, tree, django_user_model):
    first = client.get("/")
    assert first.status_code == 200
    other = type(client)()
    with CaptureQueriesContext(connection) as queries:
        second = other.get("/")
    assert second.status_code == 200
    assert len(queries) == 0  # a hit touches no database
    html = second.content.decode()
    assert "Forside" in html and TOKEN_PLACEHOLDER not in html
    assert _token(html) != _token(first.content.decode())
    assert settings.CSRF_COOKIE_NAME in second.cookies  # the hit sets the visitor's own CSRF cookie
    assert second["X-Frame-Options"] == first["X-Frame-Options"]
    assert "Content-Security-Policy" in second


def test_cached_form_token_is_accepted_by_the_csrf_check(tree):
    from django.test import Client

    warm = Client(enforce_csrf_checks=True)
    warm.get("/")
    visitor = Client(enforce_csrf_checks=True)
    html = visitor.get("/").content.decode()
    response = visitor.post("/i18n/setlang/", {"csrfmiddlewaretoken": _token(html), "language": "en", "next": "/"})
    assert response.status_code == 302


def test_changing_a_page_invalidates(client, tree):
    client.get("/")
    tree.home.title = "Ny forside"
    tree.home.save_revision().publish()
    assert "Ny forside" in type(client)().get("/").content.decode()


def test_signed_in_users_and_query_strings_are_never_served_from_cache(client, tree):
    client.get("/")
    user = UserFactory()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    assert len(queries) > 0
    anonymous = type(client)()
    with CaptureQueriesContext(connection) as queries:
        anonymous.get("/?x=1")
    assert len(queries) > 0


def test_pages_behind_login_are_not_cached(client, tree):
    from learning.cache import page_cache_key, page_cache_version

    url = tree.lessons[0][0].url
    response = client.get(url)
    assert response.status_code == 302
    assert type(client)().get(url).status_code == 302
    # Nothing stored for the anonymous visitor (the redirect is made by the page each time; its routing
    # may come from learning.page_routes, so a query count no longer tells).
    key = page_cache_key(version=page_cache_version(), language="da", host="testserver", path=url)
    assert cache.get(key) is None


def test_cache_key_is_short_and_safe_for_any_client_url():
    from learning.cache import page_cache_key

    hostile = "/certificates/verify/" + "x" * 2000 + "\x00\ud800 /"
    key = page_cache_key(version=3, language="da", host="evil host", path=hostile)
    other = page_cache_key(version=3, language="da", host="evil host", path=hostile + "y")

    assert len(key) < 100
    assert key.isprintable() and " " not in key
    assert key != other
