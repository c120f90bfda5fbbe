"""The benchmark population generator (bench.generator) on tiny sizes: exact totals, consistency."""

from __future__ import annotations

import datetime as dt

import pytest

from bench import generator as gen

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
LESSONS = 4
TINY = gen.Sizes(municipalities=5, departments=12, staff=200, progress=500, certificates=50)


@pytest.mark.parametrize("total,weights,minimum", [(100, [1, 1, 1], 0), (101, [5, 1, 1, 1], 2), (7, [0.3, 0.3, 0.4], 1)])
def test_split_total_is_exact_and_respects_the_minimum(total, weights, minimum):
    parts = gen.split_total(total, weights, minimum=minimum)
    assert sum(parts) == total
    assert min(parts) >= minimum
    assert parts[0] >= parts[-1] or weights[0] <= weights[-1]


def test_split_total_refuses_a_minimum_it_cannot_meet():
    with pytest.raises(ValueError):
        gen.split_total(5, [1, 1, 1], minimum=2)


def test_plan_sums_to_the_sizes_and_reuses_existing_municipalities():
    plan = gen.plan_municipalities(TINY, existing=[("koege", "Køge Kommune")])
    assert len(plan) == TINY.municipalities
    assert sum(m.staff for m in plan) == TINY.staff
    assert sum(m.departments for m in plan) == TINY.departments
    assert len({m.slug for m in plan}) == len(plan)
    assert "koege" in {m.slug for m in plan}
    assert all(m.departments >= 1 and m.staff >= 1 for m in plan)


def test_sizes_are_checked_against_the_course():
    with pytest.raises(ValueError, match="progress row per lesson"):
        gen.Sizes(municipalities=2, departments=2, staff=10, progress=10, certificates=5).check(lessons=4)
    with pytest.raises(ValueError, match="more progress rows"):
        gen.Sizes(municipalities=2, departments=2, staff=10, progress=41, certificates=1).check(lessons=4)


def test_opened_counts_give_exactly_the_progress_rows_and_full_progress_to_holders():
    counts = gen.opened_counts(TINY, lessons=LESSONS)
    assert sum(counts) == TINY.progress
    assert sum(1 for c in counts if c == LESSONS) == TINY.certificates
    assert all(0 <= c <= LESSONS for c in counts)


def test_people_are_unique_and_in_their_municipalitys_departments():
    plan = gen.plan_municipalities(TINY)
    offsets = gen.department_offsets(plan)
    people = list(gen.people(plan, TINY, lessons=LESSONS, now=NOW))
    assert len(people) == TINY.staff
    assert len({p.email for p in people}) == TINY.staff
    assert all(p.email.endswith("@" + gen.EMAIL_DOMAIN) for p in people)
    for p in people:
        m = plan[p.municipality]
        assert offsets[p.municipality] <= p.department < offsets[p.municipality] + m.departments
    assert sum(p.certified for p in people) == TINY.certificates


def test_department_names_are_unique_within_a_municipality():
    plan = gen.plan_municipalities(TINY)
    rows = list(gen.department_rows(plan))
    assert len(rows) == TINY.departments
    assert len({(m, name) for m, name, _kind in rows}) == len(rows)


def test_progress_rows_complete_everything_for_holders_and_leave_the_last_open_otherwise():
    plan = gen.plan_municipalities(TINY)
    people = list(gen.people(plan, TINY, lessons=LESSONS, now=NOW))
    holder = next(p for p in people if p.certified)
    other = next(p for p in people if not p.certified and p.lessons_opened >= 2)
    step = dt.timedelta(days=1)
    rows = list(gen.progress_rows(holder, started=NOW, step=step))
    assert [r.lesson for r in rows] == list(range(LESSONS))
    assert all(r.completed_at is not None and r.completed_at > r.opened_at for r in rows)
    rows = list(gen.progress_rows(other, started=NOW, step=step))
    assert len(rows) == other.lessons_opened
    assert rows[-1].completed_at is None
    assert all(r.completed_at is not None for r in rows[:-1])
    total = sum(len(list(gen.progress_rows(p, started=NOW, step=step))) for p in people)
    assert total == TINY.progress


def test_generation_is_reproducible_and_certificate_codes_unique():
    plan = gen.plan_municipalities(TINY)
    first = [p.email + p.first_name for p in gen.people(plan, TINY, lessons=LESSONS, now=NOW)]
    again = [p.email + p.first_name for p in gen.people(plan, TINY, lessons=LESSONS, now=NOW)]
    assert first == again
    codes = {gen.certificate_code(i) for i in range(10_000)}
    assert len(codes) == 10_000
