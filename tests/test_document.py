"""plan_document joins a plan's entries with its attendance figures."""

import json
from decimal import Decimal

from aip.models import (ActionStep, AttendanceFigure, GradeLevel, Plan,
                        SchoolYear, Strategy, StudentGroup, Target)
from aip.plans.document import plan_document, plan_snapshot


def add_figure(organisation, year, rate, group=None, grade=None,
               enrollment=100):
    return AttendanceFigure.create(
        organisation=organisation, school_year=year, group=group,
        grade=grade, enrollment=enrollment, chronic_absence_rate=rate,
        source="synthetic")


def test_target_rows_join_history_and_targets(orgs):
    school = orgs["belen_high"]
    current = SchoolYear.current()
    older, last = reversed(current.previous(2))
    economic = StudentGroup.get(code="ED")
    for year, rate in ((older, "41.0"), (last, "38.5"), (current, "36.0")):
        add_figure(school, year, Decimal(rate), group=economic)
    plan = Plan.create(organisation=school, school_year=current)
    Target.create(plan=plan, group=economic, target_rate=Decimal("30.5"))

    document = plan_document(plan)

    [row] = document["group_targets"]
    assert row.key == "group-ED"
    assert row.enrollment == 100
    assert [rate for _, rate in row.history] == [Decimal("41.0"),
                                                 Decimal("38.5")]
    assert row.change == Decimal("-8.0")
    assert document["synthetic"] is True
    grade_codes = [r.grade.code for r in document["grade_targets"]]
    assert grade_codes == ["09", "10", "11", "12"]


def test_whole_school_figures_are_the_all_students_row(orgs):
    school = orgs["belen_high"]
    current = SchoolYear.current()
    last = current.previous(1)[0]
    add_figure(school, last, Decimal("33.0"), enrollment=480)
    add_figure(school, current, Decimal("31.0"), enrollment=450)
    plan = Plan.create(organisation=school, school_year=current)

    [row] = plan_document(plan)["group_targets"]

    assert row.key == "group-ALL"
    assert row.enrollment == 450
    assert row.history[-1][1] == Decimal("33.0")


def test_tiers_follow_registry_with_steps(orgs):
    plan = Plan.create(organisation=orgs["belen_high"],
                       school_year=SchoolYear.current())
    strategy = Strategy.create(plan=plan, tier=2, name="Peer mentors")
    ActionStep.create(strategy=strategy, activity="Match mentors")

    tiers = plan_document(plan)["tiers"]

    assert [section.tier.number for section in tiers] == [1, 2, 3, 4]
    assert tiers[0].strategies == []
    [mentors] = tiers[1].strategies
    assert [step.activity for step in mentors.steps] == ["Match mentors"]


def test_snapshot_is_json(orgs):
    plan = Plan.create(organisation=orgs["belen_high"],
                       school_year=SchoolYear.current())
    Strategy.create(plan=plan, tier=1, name="Attendance awards")
    Target.create(plan=plan, grade=GradeLevel.get(code="09"),
                  target_rate=Decimal("20.0"))

    snapshot = json.loads(json.dumps(plan_snapshot(plan)))

    assert snapshot["tiers"]["1"][0]["name"] == "Attendance awards"
    assert snapshot["targets"]["grade-09"] == "20.0"
    assert snapshot["contact"] is None
