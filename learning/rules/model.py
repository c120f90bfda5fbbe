"""The routing input (``Concern``) and its strict parser from decoded JSON."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, fields
from typing import Any, cast

from .labels import ILLEGAL_ACTS, REPORTERS, SIGNS, SUBJECTS, IllegalAct, Reporter, Subject


class ConcernInputError(ValueError):
    """Bad routing input. ``field`` names the offending key (``signs[2]`` for a list item)."""

    def __init__(self, field: str, message: str, message_da: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.message_da = message_da

    @property
    def text_da(self) -> str:
        return f"{self.field}: {self.message_da}"


@dataclass(frozen=True, slots=True)
class Concern:
    """A described concern, as in the routing contract's input table.

    Constructing one validates every value except ``municipality`` membership (which needs a
    directory) and normalises ``signs`` to a sorted tuple without duplicates, so two concerns that
    mean the same compare equal and route identically.
    """

    municipality: str
    subject: Subject = "person"
    age: int | None = None
    reporter: Reporter = "employee"
    signs: tuple[str, ...] = field(default=())
    illegal_act: IllegalAct = "none"
    danger_to_life: bool = False
    in_extremist_milieu: bool = False
    wants_exit: bool = False
    returnee: bool = False
    within_opening_hours: bool = True

    def __post_init__(self) -> None:
        _check_str("municipality", self.municipality)
        _check_choice("subject", self.subject, SUBJECTS)
        _check_age(self.age)
        _check_choice("reporter", self.reporter, REPORTERS)
        _check_choice("illegal_act", self.illegal_act, ILLEGAL_ACTS)
        for name in _BOOL_FIELDS:
            _check_bool(name, getattr(self, name))
        # Frozen dataclass: normalising in __post_init__ needs object.__setattr__.
        object.__setattr__(self, "signs", _normalise_signs(self.signs))

    @property
    def is_child_or_unknown_age(self) -> bool:
        """Under 18 or age unknown: the employee's duty to notify treats unknown as a child."""
        return self.age is None or self.age < 18

    @property
    def is_adult(self) -> bool:
        return self.age is not None and self.age >= 18

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        data["signs"] = list(self.signs)
        return data


_BOOL_FIELDS: tuple[str, ...] = (
    "danger_to_life",
    "in_extremist_milieu",
    "wants_exit",
    "returnee",
    "within_opening_hours",
)
INPUT_KEYS: tuple[str, ...] = tuple(f.name for f in fields(Concern))


def parse_concern(data: object, *, known_municipalities: Collection[str]) -> Concern:
    """Validate a JSON-decoded object strictly and build a ``Concern``.

    Raises ``ConcernInputError`` naming the first offending field. Unknown keys are checked first
    (in sorted order) so a typo is reported as such rather than as a missing value.
    """
    if not isinstance(data, dict):
        raise ConcernInputError("input", "must be a JSON object", "skal være et JSON-objekt")
    for key in sorted(data, key=str):
        if key not in INPUT_KEYS:
            raise ConcernInputError(str(key), "unknown key", "ukendt felt")

    if "municipality" not in data:
        raise ConcernInputError("municipality", "is required", "skal angives")
    municipality = data["municipality"]
    _check_str("municipality", municipality)
    if municipality not in known_municipalities:
        known = ", ".join(sorted(known_municipalities))
        raise ConcernInputError(
            "municipality",
            f"unknown municipality {municipality!r} (known: {known})",
            f"ukendt kommune {municipality!r} (kendte: {known})",
        )

    signs = data.get("signs", [])
    if not isinstance(signs, list):
        raise ConcernInputError("signs", "must be a list of sign codes", "skal være en liste af tegn-koder")
    for index, code in enumerate(signs):
        _check_sign(f"signs[{index}]", code)

    values = {key: value for key, value in data.items() if key != "signs"}
    # Concern.__post_init__ does the per-field type and range checks.
    return Concern(**cast("dict[str, Any]", values), signs=tuple(signs))


def _check_str(name: str, value: object) -> None:
    if not isinstance(value, str) or not value:
        raise ConcernInputError(name, "must be a non-empty string", "skal være en ikke-tom tekst")


def _check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if not isinstance(value, str) or value not in choices:
        allowed = " | ".join(f'"{choice}"' for choice in choices)
        raise ConcernInputError(name, f"must be one of {allowed}", f"skal være en af {allowed}")


def _check_age(value: object) -> None:
    # bool is a subclass of int: `true` is not an age.
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConcernInputError(
            "age", "must be an integer >= 0 or null", "skal være et heltal >= 0 eller null"
        )


def _check_bool(name: str, value: object) -> None:
    # Only real booleans: 0/1 or "true" are rejected so that a typo never flips a rule.
    if not isinstance(value, bool):
        raise ConcernInputError(name, "must be true or false", "skal være true eller false")


def _check_sign(name: str, code: object) -> None:
    if not isinstance(code, str):
        raise ConcernInputError(name, "must be a sign code string", "skal være en tegn-kode (tekst)")
    if code not in SIGNS:
        raise ConcernInputError(name, f"unknown sign code {code!r}", f"ukendt tegn-kode {code!r}")


def _normalise_signs(signs: object) -> tuple[str, ...]:
    if isinstance(signs, str) or not isinstance(signs, Iterable):
        raise ConcernInputError("signs", "must be a list of sign codes", "skal være en liste af tegn-koder")
    codes = tuple(signs)
    for index, code in enumerate(codes):
        _check_sign(f"signs[{index}]", code)
    return tuple(sorted(set(cast("tuple[str, ...]", codes))))
