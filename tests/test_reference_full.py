"""The shipped reference data and the full demo set, built once.

These are the slow tests: `flask aip setup --demo` loads every district,
charter and school and generates three years of demo figures for them.
"""

from collections import defaultdict

import pytest

from aip import create_app
from aip.admin.demo import DEMO_USERS
from aip.db import database, open_database
from aip.demo import PROGRAMS, target_rate
from aip.models import (AttendanceFigure, GradeLevel, Organisation,
                        SchoolYear, StudentGroup, User)


@pytest.fixture(scope="module")
def full_app(tmp_path_factory, postgres_url):
    folder = tmp_path_factory.mktemp("full")
    url = postgres_url or f"sqlite:///{folder / 'aip.sqlite3'}"
    if postgres_url:
        db = open_database(url)
        for table in db.get_tables():
            db.execute_sql(f'DROP TABLE "{table}" CASCADE')
        db.close()
    app = create_app({"TESTING": True, "SECRET_KEY": "test",
                      "DATABASE_URL": url,
                      "OUTBOX_DIR": str(folder / "outbox")})
    result = app.test_cli_runner().invoke(args=["aip", "setup", "--demo"])
    assert result.exit_code == 0, result.output
    yield app, result
    if not database.is_closed():
        database.close()


@pytest.fixture
def full(full_app):
    app, result = full_app
    with app.app_context():
        database.connect(reuse_if_open=True)
        yield result
        database.close()


def count(kind):
    return Organisation.select().where(Organisation.kind == kind).count()


def test_shipped_file_loads_districts_and_charters(full):
    assert count("district") == 89
    assert count("charter") == 51
    assert count("state") == 1
    assert "district: 89 created" in full.output
    assert "charter: 51 created" in full.output


def test_every_charter_has_its_school(full):
    charters = Organisation.select().where(Organisation.kind == "charter")

    for charter in charters:
        assert Organisation.schools_of(charter).count() >= 1, charter.name


def test_belen_high_is_under_belen(full):
    high = Organisation.get(Organisation.name == "BELEN HIGH")

    assert high.kind == "school"
    assert high.parent.name == "BELEN CONSOLIDATED SCHOOLS"
    assert high.nces_id == "350018000140"
    assert (high.lowest_grade, high.highest_grade) == ("9", "12")


def test_no_bie_school_is_loaded(full):
    assert not Organisation.select().where(
        Organisation.nces_id.startswith("59")).exists()


def test_setup_prints_demo_sign_ins(full):
    for email, *_ in DEMO_USERS:
        assert email in full.output
        assert User.by_email(email) is not None
    assert "six-digit code" in full.output
    assert "flask --app aip mail outbox" in full.output
    assert "synthetic demo data" in full.output


def test_setup_again_changes_nothing(full_app, full):
    app, _ = full_app
    before = (Organisation.select().count(), AttendanceFigure.select().count(),
              User.select().count(), SchoolYear.select().count())

    result = app.test_cli_runner().invoke(args=["aip", "setup", "--demo"])

    database.connect(reuse_if_open=True)
    after = (Organisation.select().count(), AttendanceFigure.select().count(),
             User.select().count(), SchoolYear.select().count())
    assert result.exit_code == 0, result.output
    assert "Applied migration" not in result.output
    assert "created" not in result.output
    assert after == before


def school_rates():
    """Return rates (%) and [chronic, enrollment] sums over every school.

    Both are keyed by (year, group code, grade code).
    """
    groups = {group.id: group.code for group in StudentGroup.select()}
    grades = {grade.id: grade.code for grade in GradeLevel.select()}
    years = {year.id: year.name for year in SchoolYear.select()}
    query = (AttendanceFigure
             .select(AttendanceFigure.school_year, AttendanceFigure.group,
                     AttendanceFigure.grade,
                     AttendanceFigure.chronically_absent,
                     AttendanceFigure.enrollment)
             .join(Organisation)
             .where(Organisation.kind == "school")
             .tuples())
    sums = defaultdict(lambda: [0, 0])
    for year_id, group_id, grade_id, chronic, enrollment in query:
        key = (years[year_id], groups.get(group_id), grades.get(grade_id))
        sums[key][0] += chronic
        sums[key][1] += enrollment
    return {key: 100 * chronic / enrollment
            for key, (chronic, enrollment) in sums.items()}, sums


def demo_years():
    """Return the school years that have figures: three, oldest first."""
    years = list(SchoolYear.select()
                 .join(AttendanceFigure)
                 .distinct()
                 .order_by(SchoolYear.start_year))
    assert len(years) == 3
    return years


def test_statewide_rate_within_a_point_of_target(full):
    rates, _ = school_rates()

    for year in demo_years():
        assert abs(rates[(year.name, None, None)]
                   - target_rate(year.start_year)) <= 1.0, year.name


def test_statewide_enrollment_about_300000(full):
    _, sums = school_rates()

    for year in demo_years():
        assert 270_000 <= sums[(year.name, None, None)][1] <= 330_000


def test_group_rates_follow_published_pattern(full):
    rates, _ = school_rates()

    for year in demo_years():
        state = rates[(year.name, None, None)]
        assert 1.15 <= rates[(year.name, "I", None)] / state <= 1.35
        for code in ("SD", "EL", "HL"):
            assert rates[(year.name, code, None)] > state, code
        assert rates[(year.name, "C", None)] < state
        assert set(PROGRAMS) <= {key[1] for key in rates}


def test_grade_rates_follow_published_pattern(full):
    rates, _ = school_rates()

    for year in demo_years():
        grade = {code: rates[(year.name, None, code)]
                 for code in ("KF", "01", "02", "03", "04", "05", "06",
                              "07", "08", "09", "10", "11", "12")}
        upper_elementary = max(grade["03"], grade["04"], grade["05"])
        assert min(grade, key=grade.get) in ("03", "04", "05")
        assert grade["KF"] > upper_elementary
        for code in ("09", "10", "11", "12"):
            assert grade[code] > upper_elementary, code
