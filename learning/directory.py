"""The Django side of the routing directory: municipal procedure flags and contact points as DB rows.

Administrators edit the directory in the Wagtail admin (``learning.wagtail_hooks``); the rules read
it as a ``learning.rules.Directory`` built by ``directory_current``. A new municipality needs data
only: import it (``directory_import``) or type it into the admin, and it routes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from .models import ContactPoint, Municipality
from .rules import Decision, Directory, load_default_directory, parse_concern, route


@transaction.atomic
def directory_import(*, data: dict[str, Any]) -> None:
    """Upsert municipalities and their contacts from the directory JSON structure (idempotent).

    ``data`` has the shape of ``learning/data/directory.json``. It is validated as a whole first
    (``DirectoryError`` names the bad field and nothing is written). Each municipality in the data is
    created or updated by slug, and its contact points are replaced by the data's, in the data's
    order. Municipalities not in the data are left alone.
    """
    directory = Directory.from_dict(data)
    for entry in directory:
        municipality, _created = Municipality.objects.update_or_create(
            slug=entry.slug,
            defaults={
                "name": entry.name,
                "leader_first": entry.procedure.leader_first,
                "child_also_local_unit": entry.procedure.child_also_local_unit,
                "opening_hours": entry.procedure.opening_hours,
                "procedure_source": entry.procedure.source,
            },
        )
        municipality.contact_points.all().delete()
        ContactPoint.objects.bulk_create(
            ContactPoint(
                municipality=municipality,
                sort_order=index,
                action=point.action,
                name=point.name,
                phone=point.phone,
                email=point.email,
                hours=point.hours,
                min_age=point.min_age,
                max_age=point.max_age,
                applies_to=point.applies_to,
                source=point.source,
            )
            for index, point in enumerate(entry.contacts)
        )


def directory_rows(*, include_without_contacts: bool = False) -> dict[str, Any]:
    """The DB directory in the JSON structure (two queries: municipalities, then contact points).

    Municipalities come in the order they were created (an import keeps its file's order), contact
    points in their admin order. Municipalities with no contact point at all are left out unless
    ``include_without_contacts``: a municipality that has not got its directory yet cannot route a referral.
    """
    contacts: dict[int, list[dict[str, Any]]] = {}
    for point in ContactPoint.objects.order_by("municipality_id", "sort_order", "pk"):
        contacts.setdefault(point.municipality_id, []).append(_contact_entry(point))
    return {
        "municipalities": [
            _municipality_entry(municipality, contacts.get(municipality.pk, []))
            for municipality in Municipality.objects.order_by("pk")
            if include_without_contacts or municipality.pk in contacts
        ]
    }


def _contact_entry(point: ContactPoint) -> dict[str, Any]:
    return {
        "action": point.action,
        "name": point.name,
        "phone": point.phone,
        "email": point.email,
        "hours": point.hours,
        "min_age": point.min_age,
        "max_age": point.max_age,
        "applies_to": point.applies_to,
        "source": point.source,
    }


def _municipality_entry(municipality: Municipality, contacts: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "slug": municipality.slug,
        "name": municipality.name,
        "procedure": {
            "leader_first": municipality.leader_first,
            "child_also_local_unit": municipality.child_also_local_unit,
            "opening_hours": municipality.opening_hours,
            "source": municipality.procedure_source,
        },
        "contacts": contacts,
    }


def directory_current() -> Directory:
    """The directory the rules use now, built from the DB rows (two queries).

    Only municipalities with at least one contact point are in it. When the DB has no municipality
    with contacts at all (a fresh database before ``seed_demo`` or an import), this falls back to the
    shipped file ``learning/data/directory.json`` via ``load_default_directory()`` — and only then:
    as soon as one municipality has contacts in the DB, the DB is the whole truth.

    Raises ``DirectoryError`` if the rows do not make a valid directory (the admin forms prevent it).
    """
    data = directory_rows()
    if not data["municipalities"]:
        return load_default_directory()
    return Directory.from_dict(data)


def directory_for_municipality(*, municipality_id: int) -> Directory:
    """The directory ``directory_current`` would give, cut down to one municipality: one query (its
    contact points with the municipality's row).

    The rules read only the concern's own municipality, so a concern in that municipality routes the
    same with this as with the whole directory; a concern in any other municipality is unknown to it.
    For a hot path that routes one municipality's concerns (grading a practice answer) instead of
    building every municipality's entry. Same fallback as ``directory_current``: when the DB has no
    contact point at all, the shipped file.
    """
    points = list(
        ContactPoint.objects.filter(municipality_id=municipality_id)
        .select_related("municipality")
        .order_by("sort_order", "pk")
    )
    if points:
        entry = _municipality_entry(points[0].municipality, [_contact_entry(point) for point in points])
        return Directory.from_dict({"municipalities": [entry]})
    if not ContactPoint.objects.exists():
        return load_default_directory()
    return Directory.from_dict({"municipalities": []})


def concern_route(*, data: object, on: date, directory: Directory | None = None) -> Decision:
    """Validate contract input (decoded JSON) and route it against the current directory.

    The one function behind the ``route_concern`` command, the JSON endpoint and the concern guide.
    Raises ``ConcernInputError`` (naming the field) for bad input, and ``DirectoryError`` if the
    municipality's directory lacks a contact the decision needs (system check ``learning.E001``).
    """
    directory = directory if directory is not None else directory_current()
    concern = parse_concern(data, known_municipalities=directory.slugs)
    return route(concern, directory=directory, on=on)
