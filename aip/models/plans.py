"""Attendance improvement plans and everything a coordinator enters."""

from peewee import (BooleanField, CharField, DateField, DateTimeField,
                    DecimalField, ForeignKeyField, IntegerField, TextField)

from aip.models.accounts import User
from aip.models.attendance import GradeLevel, SchoolYear, StudentGroup
from aip.models.base import BaseModel, VersionedModel, utcnow
from aip.models.organisations import Organisation

DRAFT = "draft"
SUBMITTED = "submitted"
APPROVED = "approved"
RETURNED = "returned"
STATUS_NAMES = {
    DRAFT: "Draft",
    SUBMITTED: "Submitted",
    APPROVED: "Approved",
    RETURNED: "Returned for changes",
}
EDITABLE_STATUSES = (DRAFT, RETURNED)


class Plan(BaseModel):
    """One organisation's plan for one school year."""

    organisation = ForeignKeyField(Organisation, backref="plans")
    school_year = ForeignKeyField(SchoolYear, backref="plans")
    status = CharField(max_length=16, default=DRAFT, index=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    submitted_at = DateTimeField(null=True)
    approved_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("organisation", "school_year"), True),)

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES

    @property
    def status_name(self):
        return STATUS_NAMES[self.status]

    def latest_review(self):
        """Return the newest reviewer's decision on this plan, or None."""
        return (Review.select(Review, User)
                .join(Submission)
                .switch(Review)
                .join(User)
                .where(Submission.plan == self)
                .order_by(Submission.round.desc())
                .first())


class PlanContact(VersionedModel):
    """The plan's primary contact, shown as "School Contact"."""

    plan = ForeignKeyField(Plan, backref="contacts", unique=True,
                           on_delete="CASCADE")
    first_name = CharField(max_length=100, default="")
    last_name = CharField(max_length=100, default="")
    title = CharField(max_length=150, default="")
    email = CharField(max_length=254, default="")
    phone = CharField(max_length=40, default="")


class TeamMember(VersionedModel):
    plan = ForeignKeyField(Plan, backref="team_members", on_delete="CASCADE")
    first_name = CharField(max_length=100, default="")
    last_name = CharField(max_length=100, default="")
    title = CharField(max_length=150, default="")
    email = CharField(max_length=254, default="")
    position = IntegerField(default=0)


class Target(VersionedModel):
    """A target chronic-absence rate (%) for a student group or a grade."""

    plan = ForeignKeyField(Plan, backref="targets", on_delete="CASCADE")
    group = ForeignKeyField(StudentGroup, null=True)
    grade = ForeignKeyField(GradeLevel, null=True)
    target_rate = DecimalField(max_digits=5, decimal_places=1, null=True)

    class Meta:
        indexes = ((("plan", "group", "grade"), True),)


class RootCause(VersionedModel):
    """A finding of the root-cause analysis and the evidence behind it."""

    plan = ForeignKeyField(Plan, backref="root_causes", on_delete="CASCADE")
    category = CharField(max_length=40, default="barriers")
    custom_category = CharField(max_length=100, default="")
    finding = TextField(default="")
    evidence_data = BooleanField(default=False)
    evidence_surveys = BooleanField(default=False)
    evidence_focus_groups = BooleanField(default=False)
    evidence_other = CharField(max_length=200, default="")
    position = IntegerField(default=0)


class Strategy(VersionedModel):
    """A strategy within one tier of support (tier number from the registry)."""

    plan = ForeignKeyField(Plan, backref="strategies", on_delete="CASCADE")
    tier = IntegerField()
    name = CharField(max_length=200, default="")
    description = TextField(default="")
    rationale = TextField(default="")
    measure = TextField(default="")
    collection_method = TextField(default="")
    collection_frequency = CharField(max_length=100, default="")
    position = IntegerField(default=0)


class ActionStep(VersionedModel):
    """One step of a strategy's implementation plan."""

    strategy = ForeignKeyField(Strategy, backref="action_steps",
                               on_delete="CASCADE")
    activity = TextField(default="")
    responsible = CharField(max_length=200, default="")
    resources = TextField(default="")
    timeline = CharField(max_length=200, default="")
    due_on = DateField(null=True)
    position = IntegerField(default=0)


class ProgressUpdate(VersionedModel):
    """A reporting-period update (period code from the registry)."""

    plan = ForeignKeyField(Plan, backref="progress_updates",
                           on_delete="CASCADE")
    period = CharField(max_length=16)
    reflection = TextField(default="")
    submitted_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("plan", "period"), True),)


class Submission(BaseModel):
    """A snapshot of the plan as submitted, one per review round."""

    plan = ForeignKeyField(Plan, backref="submissions", on_delete="CASCADE")
    round = IntegerField()
    submitted_by = ForeignKeyField(User)
    submitted_at = DateTimeField(default=utcnow)
    certification = TextField()
    snapshot = TextField()  # JSON of every section at submission time

    class Meta:
        indexes = ((("plan", "round"), True),)


class Review(BaseModel):
    """A reviewer's decision that closes a submission's round."""

    submission = ForeignKeyField(Submission, backref="reviews", unique=True,
                                 on_delete="CASCADE")
    reviewer = ForeignKeyField(User)
    decision = CharField(max_length=16)  # approved or returned
    comments = TextField(default="")
    decided_at = DateTimeField(default=utcnow)


def plans_visible_to(grant):
    """Return the plans the active role may read, with their organisation.

    A school coordinator reads its school's plans, a district coordinator
    its district's plan and those of its schools, PED every plan. Views
    look plans up through this query, so another organisation's id
    gets 404.
    """
    from aip.models.accounts import DISTRICT_COORDINATOR, PED_COORDINATOR

    query = Plan.select(Plan, Organisation).join(Organisation)
    if grant.role == PED_COORDINATOR:
        return query
    if grant.role == DISTRICT_COORDINATOR:
        return query.where((Organisation.id == grant.organisation_id)
                           | (Organisation.parent == grant.organisation_id))
    return query.where(Organisation.id == grant.organisation_id)


def plans_editable_by(grant):
    """Return the plans the active role writes: its own organisation's."""
    from aip.models.accounts import PED_COORDINATOR

    if grant.role == PED_COORDINATOR:
        return Plan.select().where(Plan.id.is_null())
    return (Plan.select(Plan, Organisation)
            .join(Organisation)
            .where(Organisation.id == grant.organisation_id))
