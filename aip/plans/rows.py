"""The kinds of rows a plan holds, found only within that plan.

Every lookup goes through the plan, so a row id that belongs to another
plan raises RowNotFound, which the views turn into 404.
"""

from dataclasses import dataclass

from peewee import IntegrityError, fn

from aip.db import database, for_update
from aip.models import (ActionStep, GradeLevel, Plan, PlanContact,
                        RootCause, Strategy, StudentGroup, Target,
                        TeamMember, utcnow)
from aip.plans import forms
from aip.registry import get_registry


class RowNotFound(LookupError):
    pass


@dataclass(frozen=True)
class RowKind:
    """A kind of plan row: its model, form and the tab that edits it."""

    name: str
    model: type
    form: type
    tab: str
    label: str
    addable: bool = True

    @property
    def fields(self):
        return forms.editable_fields(self.form)

    def prefix(self, key):
        return f"{self.name}-{key}"

    def rows(self, plan):
        """Return a query of this kind's rows in plan."""
        model = self.model
        if model is ActionStep:
            return (ActionStep.select()
                    .join(Strategy)
                    .where(Strategy.plan == plan))
        return model.select().where(model.plan == plan)

    def get(self, plan, key, lock=False):
        """Return the row of plan with key, or raise RowNotFound.

        With lock, the row stays locked until the transaction ends, so
        concurrent saves of one row cannot overwrite each other.
        """
        if self.model is Target:
            return target_for_key(plan, key, lock)
        try:
            row_id = int(key)
        except ValueError:
            raise RowNotFound(key) from None
        query = self.rows(plan).where(self.model.id == row_id)
        row = (for_update(query) if lock else query).first()
        if row is None:
            raise RowNotFound(key)
        return row


KINDS = {kind.name: kind for kind in (
    RowKind("contact", PlanContact, forms.ContactForm, "contact",
            "primary contact", addable=False),
    RowKind("member", TeamMember, forms.MemberForm, "contact",
            "team member"),
    RowKind("target", Target, forms.TargetForm, "targets", "target",
            addable=False),
    RowKind("cause", RootCause, forms.RootCauseForm, "root-causes",
            "finding"),
    RowKind("strategy", Strategy, forms.StrategyForm, "tiers",
            "strategy"),
    RowKind("step", ActionStep, forms.ActionStepForm, "tiers",
            "action step"),
)}


def get_kind(name):
    try:
        return KINDS[name]
    except KeyError:
        raise RowNotFound(name) from None


def target_for_key(plan, key, lock=False):
    """Return the Target for a key such as "group-ED" or "grade-09".

    The row is not saved until its first edit; an unsaved one has id None
    and version 0.
    """
    group = grade = None
    kind, _, code = key.partition("-")
    if kind == "group":
        group = StudentGroup.get_or_none(StudentGroup.code == code)
        found = group
    elif kind == "grade":
        grade = GradeLevel.get_or_none(GradeLevel.code == code)
        found = grade
    else:
        found = None
    if found is None:
        raise RowNotFound(key)
    query = (Target.select()
             .where((Target.plan == plan)
                    & (Target.group == group)
                    & (Target.grade == grade)))
    target = (for_update(query) if lock else query).first()
    return target or Target(plan=plan, group=group, grade=grade, version=0)


def contact_for(plan):
    """Return the plan's primary contact row, creating it when missing."""
    contact = PlanContact.get_or_none(PlanContact.plan == plan)
    if contact is None:
        try:
            with database.atomic():
                contact = PlanContact.create(plan=plan)
        except IntegrityError:
            contact = PlanContact.get(PlanContact.plan == plan)
    return contact


def touch(plan):
    (Plan.update(updated_at=utcnow())
     .where(Plan.id == plan.id)
     .execute())


def apply_edit(row, field, value, base_version, force=False):
    """Apply one field's edit and save the row, or raise EditConflict.

    The caller opens the transaction.
    """
    if not row.apply_edit(field, value, base_version, force):
        return False
    row.save()
    return True


def next_position(query, model):
    top = query.select(fn.MAX(model.position)).scalar()
    return (top or 0) + 1


def add_row(plan, kind, parent=None):
    """Create an empty row of kind in plan; parent is a tier or strategy.

    Raises RowNotFound when the parent is not one of the plan's.
    """
    model = kind.model
    fields = {}
    if model is Strategy:
        try:
            tier = get_registry().tier(parent)
        except (KeyError, TypeError, ValueError):
            raise RowNotFound(parent) from None
        fields = {"plan": plan, "tier": tier.number}
        query = Strategy.select().where((Strategy.plan == plan)
                                        & (Strategy.tier == tier.number))
    elif model is ActionStep:
        strategy = KINDS["strategy"].get(plan, parent)
        fields = {"strategy": strategy}
        query = ActionStep.select().where(ActionStep.strategy == strategy)
    else:
        fields = {"plan": plan}
        query = kind.rows(plan)
    with database.atomic():
        row = model.create(position=next_position(query, model), **fields)
        touch(plan)
    return row


def remove_row(plan, kind, row):
    with database.atomic():
        row.delete_instance(recursive=True)
        touch(plan)
