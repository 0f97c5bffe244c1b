"""Synthetic demo figures: shape, internal consistency, reproducibility."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest

from aip.demo import RACE, SOURCE, apportion, target_rate
from aip.models import AttendanceFigure, Organisation, SchoolYear
from aip.reference import grades_offered

COUNTS = ("enrollment", "tier1_students", "tier2_students", "tier3_students",
          "tier4_students", "chronically_absent", "days_enrolled",
          "days_present", "days_excused", "days_unexcused")


def figures():
    """Return {(organisation id, year, group code, grade code): row}."""
    query = (AttendanceFigure.select()
             .order_by(AttendanceFigure.id))
    return {(row.organisation_id, row.school_year.name,
             row.group.code if row.group_id else None,
             row.grade.code if row.grade_id else None): row
            for row in query}


def totals(rows):
    return {name: sum(getattr(row, name) for row in rows) for name in COUNTS}


def counts(row):
    return {name: getattr(row, name) for name in COUNTS}


@pytest.fixture
def generated(runner, orgs):
    result = runner.invoke(args=["aip", "demo-data"])
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("total, weights, caps, expected", [
    (10, [1, 1], [10, 10], [5, 5]),
    (10, [3, 1], [10, 10], [8, 2]),
    (10, [9, 1], [4, 10], [4, 6]),
    (7, [0, 0, 0], [5, 5, 5], [3, 2, 2]),
    (20, [1, 1], [5, 5], [5, 5]),
    (5, [1, 0], [0, 9], [0, 5]),
])
def test_apportion_respects_caps_and_total(total, weights, caps, expected):
    assert apportion(total, weights, caps) == expected


@pytest.mark.parametrize("start_year, rate", [
    (2021, 40.7), (2022, 39.2), (2023, 32.8), (2024, 31.0), (2026, 29.0),
    (2030, 25.0), (2050, 20.0), (2015, 40.7),
])
def test_target_rate_by_year(start_year, rate):
    assert target_rate(start_year) == rate


def test_demo_data_output_says_synthetic(generated):
    assert "synthetic demo data" in generated.output


def test_demo_data_covers_schools_leas_and_years(generated, orgs):
    rows = figures()
    years = {key[1] for key in rows}
    school_ids = {orgs[name].id for name in ("belen_high", "belen_middle",
                                             "los_lunas_high",
                                             "charter_school")}
    lea_ids = {orgs[name].id for name in ("belen", "los_lunas", "charter")}

    assert years == {"2024-25", "2025-26", "2026-27"}
    for org_id in school_ids | lea_ids:
        for year in years:
            assert (org_id, year, None, None) in rows, (org_id, year)
    assert orgs["ped"].id not in {key[0] for key in rows}
    assert {row.source for row in rows.values()} == {SOURCE}


def test_demo_data_periods(generated):
    for (_, year, _, _), row in figures().items():
        expected = "80day" if year == "2026-27" else "eoy"
        assert row.period == expected


def test_demo_data_grade_rows_match_grades_offered(generated, orgs):
    rows = figures()
    high = orgs["belen_high"]
    offered = {grade.code for grade in grades_offered(high)}

    grades = {key[3] for key in rows if key[0] == high.id and key[3]}

    assert offered == {"09", "10", "11", "12"}
    assert grades == offered


def test_demo_rows_are_consistent(generated):
    for key, row in figures().items():
        tiers = (row.tier1_students + row.tier2_students
                 + row.tier3_students + row.tier4_students)
        absent = row.days_excused + row.days_unexcused
        expected_rate = (Decimal(100 * row.chronically_absent)
                         / row.enrollment).quantize(Decimal("0.1"),
                                                    ROUND_HALF_UP)
        assert row.enrollment > 0, key
        assert tiers == row.enrollment, key
        assert row.chronically_absent == (row.tier3_students
                                          + row.tier4_students), key
        assert row.chronic_absence_rate == expected_rate, key
        assert row.days_present + absent == row.days_enrolled, key
        assert min(counts(row).values()) >= 0, key


@pytest.mark.parametrize("partition", [
    "grades", ("F", "M"), tuple(RACE),
])
def test_demo_partitions_add_up(generated, partition):
    rows = figures()
    for (org_id, year, group, grade), whole in rows.items():
        if group or grade:
            continue
        parts = [row for (o, y, g, gr), row in rows.items()
                 if o == org_id and y == year
                 and ((partition == "grades" and gr and not g)
                      or (partition != "grades" and g in partition))]
        assert totals(parts) == counts(whole), (org_id, year, partition)


def test_demo_lea_rows_are_sums_of_schools(generated, orgs):
    rows = figures()
    schools = defaultdict(list)
    for (org_id, year, group, grade), row in rows.items():
        parent = Organisation.get_by_id(org_id).parent_id
        if parent:
            schools[(parent, year, group, grade)].append(row)

    for key, parts in schools.items():
        assert counts(rows[key]) == totals(parts), key


def test_demo_data_twice_changes_nothing(runner, generated):
    before = {key: counts(row) for key, row in figures().items()}

    result = runner.invoke(args=["aip", "demo-data"])

    assert result.exit_code == 0
    assert "nothing added" in result.output
    assert {key: counts(row) for key, row in figures().items()} == before


def test_demo_data_is_reproducible(runner, generated):
    before = {key: counts(row) for key, row in figures().items()}
    AttendanceFigure.delete().execute()

    runner.invoke(args=["aip", "demo-data"])

    assert {key: counts(row) for key, row in figures().items()} == before


def test_demo_data_keeps_imported_figures(runner, orgs):
    year = SchoolYear.current()
    AttendanceFigure.create(
        organisation=orgs["belen_high"], school_year=year, period="80day",
        enrollment=10, chronically_absent=1, chronic_absence_rate=10,
        source="import")

    runner.invoke(args=["aip", "demo-data"])

    rows = list(AttendanceFigure.select().where(
        (AttendanceFigure.organisation == orgs["belen_high"])
        & (AttendanceFigure.school_year == year)))
    assert [row.source for row in rows] == ["import"]


def test_demo_data_replace_regenerates_synthetic(runner, generated, orgs):
    before = AttendanceFigure.select().count()
    AttendanceFigure.update(enrollment=987654).where(
        AttendanceFigure.organisation == orgs["belen_high"]).execute()

    result = runner.invoke(args=["aip", "demo-data", "--replace"])

    assert result.exit_code == 0, result.output
    assert AttendanceFigure.select().count() == before
    assert not AttendanceFigure.select().where(
        AttendanceFigure.enrollment == 987654).exists()


def test_demo_data_skips_closed_school(runner, orgs):
    runner.invoke(args=["aip", "close", "350018000141"])

    runner.invoke(args=["aip", "demo-data"])

    assert not AttendanceFigure.select().where(
        AttendanceFigure.organisation == orgs["belen_middle"]).exists()
    assert AttendanceFigure.select().where(
        AttendanceFigure.organisation == orgs["belen_high"]).exists()


def test_demo_data_rejected_in_production(app, runner, orgs):
    app.config["ENV_NAME"] = "production"

    result = runner.invoke(args=["aip", "demo-data"])

    assert result.exit_code == 1
    assert "Refusing to add demo data to a production database" \
        in result.output
    assert AttendanceFigure.select().count() == 0
