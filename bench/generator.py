"""The benchmark population, as plain rows: pure functions, no database (tests/bench runs them tiny).

National scale: 98 municipalities, 5,000 departments, 100,000 staff, 1,000,000 lesson-progress rows
and 50,000 certificates. Municipality sizes are skewed like Denmark's (a few large, many small; the
largest about 9 % of all staff). Every person is fictional: names are combined from short lists, and
e-mail addresses use the reserved ``.example`` domain.

Progress is consistent with certificates: a certificate holder has opened and completed every lesson
of the course, completed every module and the course; everybody else has opened the first few lessons
(completed all but the last opened one). The progress rows not used by certificate holders are spread
over the others so that the total is exact.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

FIRST_NAMES = (
    "Anne", "Bo", "Camilla", "Dennis", "Emma", "Frederik", "Gitte", "Hassan", "Ida", "Jonas", "Karen",
    "Lars", "Maria", "Niels", "Olivia", "Peter", "Rikke", "Søren", "Tina", "Ulla", "Yasmin", "Zaid",
)
LAST_NAMES = (
    "Andersen", "Bach", "Christensen", "Dahl", "Eriksen", "Frandsen", "Hansen", "Jensen", "Kristensen",
    "Larsen", "Madsen", "Nielsen", "Olsen", "Pedersen", "Rasmussen", "Sørensen", "Thomsen", "Vestergaard",
)
JOB_ROLES = ("teacher", "pedagogue", "social_worker", "jobcentre", "club_worker", "health", "leader", "other")
DEPARTMENT_KINDS = ("school", "daycare", "club", "family", "jobcentre", "social", "health", "culture", "ssp", "other")
EMAIL_DOMAIN = "bench.forebyg.example"


@dataclass(frozen=True)
class Sizes:
    municipalities: int = 98
    departments: int = 5_000
    staff: int = 100_000
    progress: int = 1_000_000
    certificates: int = 50_000

    def check(self, *, lessons: int) -> None:
        if self.departments < self.municipalities:
            raise ValueError("at least one department per municipality")
        if self.certificates > self.staff:
            raise ValueError("more certificates than staff")
        if self.progress < self.certificates * lessons:
            raise ValueError("every certificate holder needs a progress row per lesson")
        if self.progress > self.staff * lessons:
            raise ValueError("more progress rows than (staff × lessons)")


def split_total(total: int, weights: Sequence[float], *, minimum: int = 0) -> list[int]:
    """Split ``total`` into len(weights) integers proportional to the weights, each ≥ minimum, summing
    exactly to ``total`` (largest remainders get the leftovers)."""
    n = len(weights)
    if n == 0:
        return []
    if total < minimum * n:
        raise ValueError("total too small for the minimum")
    spare = total - minimum * n
    scale = sum(weights)
    raw = [spare * w / scale for w in weights]
    parts = [int(x) for x in raw]
    order = sorted(range(n), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: spare - sum(parts)]:
        parts[i] += 1
    return [p + minimum for p in parts]


def municipality_weights(n: int) -> list[float]:
    """Skewed sizes: weight 1/(rank + 3), so the largest is ~9 % of 100k and the smallest ~0.3 %."""
    return [1 / (rank + 3) for rank in range(n)]


@dataclass(frozen=True)
class MunicipalityPlan:
    index: int
    slug: str
    name: str
    staff: int
    departments: int


def plan_municipalities(sizes: Sizes, *, existing: Sequence[tuple[str, str]] = ()) -> list[MunicipalityPlan]:
    """One plan per municipality. ``existing`` (slug, name) pairs (the demo municipalities) are reused
    first and given mid-table sizes, so the demo coordinator's dashboard shows a typical municipality."""
    staff = split_total(sizes.staff, municipality_weights(sizes.municipalities), minimum=1)
    departments = split_total(sizes.departments, [max(1, s) for s in staff], minimum=1)
    names: list[tuple[str, str]] = [
        (f"bench-{i:03d}", f"Benchkommune {i:03d}") for i in range(sizes.municipalities - len(existing))
    ]
    # Put the existing municipalities at ranks ~30, 31, 32 … (typical sizes), the generated ones around them.
    at = min(30, max(0, sizes.municipalities - len(existing)))
    ordered = names[:at] + list(existing) + names[at:]
    return [
        MunicipalityPlan(index=i, slug=slug, name=name, staff=staff[i], departments=departments[i])
        for i, (slug, name) in enumerate(ordered[: sizes.municipalities])
    ]


@dataclass(frozen=True)
class Person:
    index: int  # 0-based over the whole population
    municipality: int  # index into the plan
    department: int  # 0-based over all departments
    email: str
    first_name: str
    last_name: str
    job_role: str
    joined: dt.datetime
    lessons_opened: int  # the first N lessons of the course
    certified: bool


def department_offsets(plan: Sequence[MunicipalityPlan]) -> list[int]:
    offsets, total = [], 0
    for m in plan:
        offsets.append(total)
        total += m.departments
    return offsets


def department_rows(plan: Sequence[MunicipalityPlan], *, seed: int = 7) -> Iterator[tuple[int, str, str]]:
    """(municipality index, name, kind) per department, names unique within a municipality."""
    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not security)
    for m in plan:
        for j in range(m.departments):
            kind = DEPARTMENT_KINDS[rng.randrange(len(DEPARTMENT_KINDS))]
            yield m.index, f"Afdeling {j + 1:03d} ({kind})", kind


def opened_counts(sizes: Sizes, *, lessons: int, seed: int = 11) -> list[int]:
    """Lessons opened per person (0..lessons), certificate holders (the first ``certificates`` people of
    a shuffled order) opened all; the totals add up to exactly ``sizes.progress``."""
    sizes.check(lessons=lessons)
    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not security)
    order = list(range(sizes.staff))
    rng.shuffle(order)
    counts = [0] * sizes.staff
    holders, others = order[: sizes.certificates], order[sizes.certificates :]
    for i in holders:
        counts[i] = lessons
    left = sizes.progress - sizes.certificates * lessons
    # Spread `left` over the others: each at most lessons - 1 (they have no certificate).
    cap = lessons - 1
    if others and left > cap * len(others):
        raise ValueError("too many progress rows for the people without a certificate")
    if others:
        base, extra = divmod(left, len(others))
        # A spread around the mean (some 0, some near the cap) while keeping the exact total.
        for k, i in enumerate(others):
            counts[i] = base + (1 if k < extra else 0)
        for _ in range(len(others)):
            a, b = rng.randrange(len(others)), rng.randrange(len(others))
            ia, ib = others[a], others[b]
            shift = rng.randint(0, min(counts[ia], cap - counts[ib]))
            counts[ia] -= shift
            counts[ib] += shift
    return counts


def people(plan: Sequence[MunicipalityPlan], sizes: Sizes, *, lessons: int, now: dt.datetime, seed: int = 3) -> Iterator[Person]:
    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not security)
    opened = opened_counts(sizes, lessons=lessons, seed=seed + 8)
    offsets = department_offsets(plan)
    index = 0
    for m in plan:
        for _ in range(m.staff):
            yield Person(
                index=index,
                municipality=m.index,
                department=offsets[m.index] + rng.randrange(m.departments),
                email=f"medarbejder{index:06d}.{m.slug}@{EMAIL_DOMAIN}",
                first_name=FIRST_NAMES[rng.randrange(len(FIRST_NAMES))],
                last_name=LAST_NAMES[rng.randrange(len(LAST_NAMES))],
                job_role=JOB_ROLES[rng.randrange(len(JOB_ROLES))],
                joined=now - dt.timedelta(days=rng.randint(30, 3 * 365)),
                lessons_opened=opened[index],
                certified=opened[index] == lessons,
            )
            index += 1


@dataclass(frozen=True)
class ProgressRow:
    person: int
    lesson: int  # 0-based position in the course
    opened_at: dt.datetime
    completed_at: dt.datetime | None


def progress_rows(person: Person, *, started: dt.datetime, step: dt.timedelta) -> Iterator[ProgressRow]:
    """A person's lesson progress: the first N lessons opened in order; all completed for a certificate
    holder, all but the last opened one otherwise."""
    for k in range(person.lessons_opened):
        opened = started + k * step
        done = person.certified or k < person.lessons_opened - 1
        yield ProgressRow(person.index, k, opened, opened + step / 2 if done else None)


def certificate_code(index: int) -> str:
    """Unique, URL-safe and recognisably generated."""
    return f"BENCH{index:08d}x{(index * 2654435761) % 4294967296:08x}"


def start_time(person: Person, *, now: dt.datetime, seed: int = 5) -> dt.datetime:
    """When the person started the course: within the last two years (certificate holders finished)."""
    rng = random.Random(seed * 1_000_003 + person.index)  # noqa: S311 (reproducible test data)
    return now - dt.timedelta(days=rng.randint(7, 720), minutes=rng.randint(0, 1439))
