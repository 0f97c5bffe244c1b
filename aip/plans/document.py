"""A plan's sections loaded in a few queries, for screens, print and snapshots."""

from dataclasses import dataclass, field
from decimal import Decimal

from aip.models import (ActionStep, AttendanceFigure, GradeLevel,
                        ProgressUpdate, RootCause, SchoolYear, Strategy,
                        StudentGroup, Target, TeamMember)
from aip.models.organisations import SCHOOL
from aip.reference import grades_offered
from aip.registry import get_registry

ALL_STUDENTS = "ALL"
# Historical rates shown beside each target: this many previous years.
HISTORY_YEARS = 2


@dataclass
class TargetRow:
    """One line of a targets table: a student group or a grade."""

    key: str  # "group-ED" or "grade-09", unique within the plan
    label: str
    group: StudentGroup | None
    grade: GradeLevel | None
    enrollment: int | None
    history: list  # [(SchoolYear, Decimal rate or None)], oldest first
    target: Target | None

    @property
    def last_year_rate(self):
        return self.history[-1][1] if self.history else None

    @property
    def change(self):
        """Return target minus last year's rate, in percentage points."""
        if self.target is None or self.target.target_rate is None:
            return None
        if self.last_year_rate is None:
            return None
        return Decimal(self.target.target_rate) - Decimal(self.last_year_rate)


@dataclass
class TierSection:
    tier: object  # registry.Tier
    strategies: list = field(default_factory=list)  # Strategy, .steps set


def _figures(organisation, years):
    """Return {(year_id, group_id, grade_id): AttendanceFigure}.

    The current year uses its newest reporting period; earlier years use
    the end-of-year figures. The whole-school row (no group, no grade)
    is the "All students" group's row.
    """
    everyone = StudentGroup.get_or_none(StudentGroup.code == ALL_STUDENTS)
    periods = [p.code for p in reversed(get_registry().periods)]
    rows = (AttendanceFigure.select()
            .where((AttendanceFigure.organisation == organisation)
                   & AttendanceFigure.school_year.in_(years)))
    found = {}
    for row in rows:
        group_id = row.group_id
        if group_id is None and row.grade_id is None and everyone:
            group_id = everyone.id
        key = (row.school_year_id, group_id, row.grade_id)
        rank = periods.index(row.period) if row.period in periods else 99
        if key not in found or rank < found[key][0]:
            found[key] = (rank, row)
    return {key: row for key, (rank, row) in found.items()}


def target_rows(plan):
    """Return (group_rows, grade_rows, synthetic) for a plan's targets.

    Groups appear where the organisation has figures this year; grades
    are those the school offers (every grade for a district).
    """
    year = plan.school_year
    history_years = list(reversed(year.previous(HISTORY_YEARS)))
    figures = _figures(plan.organisation, [year] + history_years)
    targets = {(t.group_id, t.grade_id): t
               for t in Target.select().where(Target.plan == plan)}

    def build(key, label, group, grade):
        group_id = group.id if group else None
        grade_id = grade.id if grade else None
        current = figures.get((year.id, group_id, grade_id))
        history = []
        for past in history_years:
            figure = figures.get((past.id, group_id, grade_id))
            rate = figure.chronic_absence_rate if figure else None
            history.append((past, rate))
        return TargetRow(key, label, group, grade,
                         current.enrollment if current else None,
                         history, targets.get((group_id, grade_id)))

    group_rows = []
    for group in StudentGroup.select().order_by(StudentGroup.position):
        if (year.id, group.id, None) in figures:
            group_rows.append(build(f"group-{group.code}", group.name,
                                    group, None))
    if plan.organisation.kind == SCHOOL:
        grades = grades_offered(plan.organisation)
    else:
        grades = list(GradeLevel.select().order_by(GradeLevel.position))
    grade_rows = [build(f"grade-{grade.code}", grade.name, None, grade)
                  for grade in grades]
    synthetic = any(f.source == "synthetic" for f in figures.values())
    return group_rows, grade_rows, synthetic


def tier_sections(plan):
    """Return a TierSection per registry tier, strategies with their steps."""
    strategies = list(Strategy.select()
                      .where(Strategy.plan == plan)
                      .order_by(Strategy.tier, Strategy.position,
                                Strategy.id))
    steps = (ActionStep.select()
             .where(ActionStep.strategy.in_([s.id for s in strategies]))
             .order_by(ActionStep.position, ActionStep.id))
    by_strategy = {}
    for step in steps:
        by_strategy.setdefault(step.strategy_id, []).append(step)
    sections = {tier.number: TierSection(tier)
                for tier in get_registry().tiers}
    for strategy in strategies:
        strategy.steps = by_strategy.get(strategy.id, [])
        if strategy.tier in sections:
            sections[strategy.tier].strategies.append(strategy)
    return list(sections.values())


def plan_document(plan):
    """Return every section of a plan as a dict, for templates."""
    group_rows, grade_rows, synthetic = target_rows(plan)
    updates = {u.period: u for u in ProgressUpdate.select()
               .where(ProgressUpdate.plan == plan)}
    return {
        "plan": plan,
        "organisation": plan.organisation,
        "lea": plan.organisation.lea,
        "school_year": plan.school_year,
        "contact": plan.contacts.first(),
        "team": list(plan.team_members
                     .order_by(TeamMember.position, TeamMember.id)),
        "group_targets": group_rows,
        "grade_targets": grade_rows,
        "synthetic": synthetic,
        "root_causes": list(plan.root_causes
                            .order_by(RootCause.position, RootCause.id)),
        "tiers": tier_sections(plan),
        "progress": [(period, updates.get(period.code))
                     for period in get_registry().periods],
    }


def _row_values(row, fields):
    values = {}
    for name in fields:
        value = getattr(row, name)
        values[name] = value if isinstance(value, (str, int, bool,
                                                   type(None))) else str(value)
    return values


def plan_snapshot(plan):
    """Return a JSON-serialisable copy of what the coordinator entered."""
    document = plan_document(plan)
    contact = document["contact"]
    contact_fields = ("first_name", "last_name", "title", "email", "phone")
    team_fields = ("first_name", "last_name", "title", "email")
    cause_fields = ("category", "custom_category", "finding", "evidence_data",
                    "evidence_surveys", "evidence_focus_groups",
                    "evidence_other")
    strategy_fields = ("name", "description", "rationale", "measure",
                       "collection_method", "collection_frequency")
    step_fields = ("activity", "responsible", "resources", "timeline",
                   "due_on")
    targets = {}
    for row in document["group_targets"] + document["grade_targets"]:
        rate = row.target.target_rate if row.target else None
        # One decimal place, because SQLite returns Decimal("20") for 20.0.
        targets[row.key] = None if rate is None else f"{Decimal(rate):.1f}"
    return {
        "contact": _row_values(contact, contact_fields) if contact else None,
        "team": [_row_values(m, team_fields) for m in document["team"]],
        "targets": targets,
        "root_causes": [_row_values(c, cause_fields)
                        for c in document["root_causes"]],
        "tiers": {
            str(section.tier.number): [
                {**_row_values(s, strategy_fields),
                 "steps": [_row_values(step, step_fields)
                           for step in s.steps]}
                for s in section.strategies
            ]
            for section in document["tiers"]
        },
        "progress": {period.code: (update.reflection if update else "")
                     for period, update in document["progress"]},
    }


def current_school_year():
    return SchoolYear.current()
