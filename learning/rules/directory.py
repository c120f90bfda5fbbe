"""The municipal directory: local procedure flags and contact points, as data.

The structure is deliberately flat (one list of municipalities, each with a ``procedure`` object
and a list of contact points) so it can be built equally from ``learning/data/directory.json`` or
from database rows via ``Directory.from_dict``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, cast, get_args

from .labels import ACTIONS, CONTACT_ACTIONS, REPORTERS, ActionCode, Reporter

AppliesTo = Literal["employee", "citizen", "any"]
APPLIES_TO: tuple[AppliesTo, ...] = get_args(AppliesTo)

DEFAULT_DIRECTORY_PATH = Path(__file__).resolve().parent.parent / "data" / "directory.json"


class DirectoryError(ValueError):
    """The directory data is malformed, or lacks a contact a decision needs."""


@dataclass(frozen=True, slots=True)
class ContactPoint:
    action: ActionCode
    name: str
    phone: str = ""
    email: str = ""
    hours: str = ""
    min_age: int | None = None
    max_age: int | None = None  # inclusive
    applies_to: AppliesTo = "any"
    source: str = ""

    def covers_age(self, age: int | None) -> bool:
        # An unknown age resolves like a child's, consistent with the duty to notify (principle 2).
        if age is None:
            return self.min_age is None or self.min_age == 0
        if self.min_age is not None and age < self.min_age:
            return False
        return self.max_age is None or age <= self.max_age

    def covers_reporter(self, reporter: Reporter | None) -> bool:
        return reporter is None or self.applies_to in ("any", reporter)


@dataclass(frozen=True, slots=True)
class Procedure:
    """How a municipality's local procedure differs, as flags the engine reads (never slugs).

    ``leader_first``: every employee first informs their own leader, who takes the concern on.
    ``child_also_local_unit``: a grounded, non-acute concern about an under-18 goes to the local
    unit as well as the notification to children's services.
    ``opening_hours``: the municipality's opening hours as text for people (may be empty when the
    sources do not state them).
    """

    leader_first: bool = False
    child_also_local_unit: bool = False
    opening_hours: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class MunicipalityDirectory:
    slug: str
    name: str
    procedure: Procedure
    contacts: tuple[ContactPoint, ...]

    def contact_for(
        self, action: str, age: int | None, reporter: Reporter | None = None
    ) -> ContactPoint | None:
        """The first contact point, in directory order, serving ``action`` for this age/reporter."""
        for point in self.contacts:
            if point.action == action and point.covers_age(age) and point.covers_reporter(reporter):
                return point
        return None

    def missing_contacts(self) -> list[str]:
        """Action codes the routing can produce here but for which some age/reporter has no contact.

        Coverage by age only changes at the bounds the contact points name, so checking those
        boundary ages (plus 0 and unknown) covers every age.
        """
        boundaries: set[int] = {0, 18}
        for point in self.contacts:
            if point.min_age is not None:
                boundaries.add(point.min_age)
            if point.max_age is not None:
                boundaries.add(point.max_age + 1)
        ages: list[int | None] = [None, *sorted(boundaries)]
        missing: list[str] = []
        for action in CONTACT_ACTIONS:
            # Only employees notify children's services, and only about under-18s (or unknown age).
            if action == "notify_children_services":
                cases = [(age, "employee") for age in ages if age is None or age < 18]
            else:
                cases = [(age, reporter) for age in ages for reporter in REPORTERS]
            if any(self.contact_for(action, age, cast("Reporter", rep)) is None for age, rep in cases):
                missing.append(action)
        return missing


@dataclass(frozen=True, slots=True)
class Directory:
    municipalities: Mapping[str, MunicipalityDirectory]

    def __getitem__(self, slug: str) -> MunicipalityDirectory:
        return self.municipalities[slug]

    def __contains__(self, slug: object) -> bool:
        return slug in self.municipalities

    def __iter__(self) -> Iterator[MunicipalityDirectory]:
        return iter(self.municipalities.values())

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(self.municipalities)

    def missing_contacts(self, slug: str) -> list[str]:
        return self.municipalities[slug].missing_contacts()

    @classmethod
    def from_dict(cls, data: object) -> Directory:
        """Build from ``{"municipalities": [...]}`` (the JSON file's structure), validating it."""
        root = _mapping(data, "directory")
        items = root.get("municipalities")
        if not isinstance(items, list):
            raise DirectoryError("directory.municipalities: must be a list")
        municipalities: dict[str, MunicipalityDirectory] = {}
        for index, item in enumerate(items):
            municipality = _municipality(item, f"municipalities[{index}]")
            if municipality.slug in municipalities:
                raise DirectoryError(f"municipalities[{index}].slug: duplicate {municipality.slug!r}")
            municipalities[municipality.slug] = municipality
        return cls(municipalities=MappingProxyType(municipalities))

    def to_dict(self) -> dict[str, Any]:
        return {
            "municipalities": [
                {
                    "slug": m.slug,
                    "name": m.name,
                    "procedure": {
                        "leader_first": m.procedure.leader_first,
                        "child_also_local_unit": m.procedure.child_also_local_unit,
                        "opening_hours": m.procedure.opening_hours,
                        "source": m.procedure.source,
                    },
                    "contacts": [
                        {
                            "action": c.action,
                            "name": c.name,
                            "phone": c.phone,
                            "email": c.email,
                            "hours": c.hours,
                            "min_age": c.min_age,
                            "max_age": c.max_age,
                            "applies_to": c.applies_to,
                            "source": c.source,
                        }
                        for c in m.contacts
                    ],
                }
                for m in self
            ]
        }


def load_default_directory(path: Path | None = None) -> Directory:
    """Read the shipped directory data (``learning/data/directory.json``)."""
    source = path or DEFAULT_DIRECTORY_PATH
    with source.open(encoding="utf-8") as handle:
        return Directory.from_dict(json.load(handle))


def _mapping(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DirectoryError(f"{where}: must be an object")
    return cast("dict[str, Any]", value)


def _reject_unknown(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise DirectoryError(f"{where}.{unknown[0]}: unknown key")


def _text(data: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise DirectoryError(f"{where}.{key}: must be a {'non-empty ' if required else ''}string")
    return value


def _flag(data: Mapping[str, Any], key: str, where: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise DirectoryError(f"{where}.{key}: must be true or false")
    return value


def _optional_age(data: Mapping[str, Any], key: str, where: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DirectoryError(f"{where}.{key}: must be an integer >= 0 or null")
    return value


def _municipality(value: object, where: str) -> MunicipalityDirectory:
    data = _mapping(value, where)
    _reject_unknown(data, {"slug", "name", "procedure", "contacts"}, where)
    procedure_data = _mapping(data.get("procedure", {}), f"{where}.procedure")
    _reject_unknown(
        procedure_data,
        {"leader_first", "child_also_local_unit", "opening_hours", "source"},
        f"{where}.procedure",
    )
    procedure = Procedure(
        leader_first=_flag(procedure_data, "leader_first", f"{where}.procedure"),
        child_also_local_unit=_flag(procedure_data, "child_also_local_unit", f"{where}.procedure"),
        opening_hours=_text(procedure_data, "opening_hours", f"{where}.procedure"),
        source=_text(procedure_data, "source", f"{where}.procedure"),
    )
    contacts = data.get("contacts", [])
    if not isinstance(contacts, list):
        raise DirectoryError(f"{where}.contacts: must be a list")
    return MunicipalityDirectory(
        slug=_text(data, "slug", where, required=True),
        name=_text(data, "name", where, required=True),
        procedure=procedure,
        contacts=tuple(_contact(item, f"{where}.contacts[{i}]") for i, item in enumerate(contacts)),
    )


def _contact(value: object, where: str) -> ContactPoint:
    data = _mapping(value, where)
    _reject_unknown(
        data,
        {"action", "name", "phone", "email", "hours", "min_age", "max_age", "applies_to", "source"},
        where,
    )
    action = data.get("action")
    if action not in ACTIONS or not ACTIONS[cast("ActionCode", action)].needs_contact:
        raise DirectoryError(f"{where}.action: must be one of {', '.join(CONTACT_ACTIONS)}")
    applies_to = data.get("applies_to", "any")
    if applies_to not in APPLIES_TO:
        raise DirectoryError(f"{where}.applies_to: must be one of {', '.join(APPLIES_TO)}")
    min_age = _optional_age(data, "min_age", where)
    max_age = _optional_age(data, "max_age", where)
    if min_age is not None and max_age is not None and min_age > max_age:
        raise DirectoryError(f"{where}.max_age: must not be below min_age")
    return ContactPoint(
        action=cast("ActionCode", action),
        name=_text(data, "name", where, required=True),
        phone=_text(data, "phone", where),
        email=_text(data, "email", where),
        hours=_text(data, "hours", where),
        min_age=min_age,
        max_age=max_age,
        applies_to=cast("AppliesTo", applies_to),
        source=_text(data, "source", where, required=True),
    )
