"""Submitted plans awaiting review, and approving or returning one.

A district coordinator reviews its schools' plans. PED reviews district
plans, state charters' plans, and the plans of schools whose district
has no active district coordinator. PED may also open and decide any
submitted plan. The first decision on a submission closes its round.
"""

import logging

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from peewee import JOIN, IntegrityError, fn
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from aip.auth import current_grant, plan_or_404, role_required
from aip.db import database
from aip.mail import queue_mail
from aip.models import (AuditEvent, Organisation, Plan, Review, RoleGrant,
                        Submission, User, utcnow)
from aip.models.accounts import (ACTIVE, DISTRICT_COORDINATOR,
                                 PED_COORDINATOR, SCHOOL_COORDINATOR)
from aip.models.organisations import CHARTER, DISTRICT, SCHOOL
from aip.models.plans import APPROVED, RETURNED, SUBMITTED, plans_visible_to
from aip.reports.render import SECTIONS, plan_title, render_body
from aip.reports.snapshots import (load_snapshot, snapshot_changes,
                                   snapshot_document)
from aip.reviews import bp

logger = logging.getLogger(__name__)

District = Organisation.alias()


def _plans_with_district():
    return (Plan.select(Plan, Organisation, District)
            .join(Organisation)
            .join(District, JOIN.LEFT_OUTER,
                  on=(Organisation.parent == District.id), attr="district")
            .switch(Plan))


def _reviewed_by_ped():
    """Return the condition for plans that PED reviews in a district's place."""
    staffed = (RoleGrant.select(RoleGrant.organisation)
               .where((RoleGrant.role == DISTRICT_COORDINATOR)
                      & (RoleGrant.status == ACTIVE)))
    return (Organisation.kind.in_([DISTRICT, CHARTER])
            | (District.kind == CHARTER)
            | District.id.is_null()
            | ((Organisation.kind == SCHOOL) & District.id.not_in(staffed)))


def plan_queue(grant):
    """Return the submitted plans awaiting the reviewer with this grant.

    Each plan carries .organisation, .organisation.district (None for a
    district plan) and .round, its latest submission's round number.
    """
    query = _plans_with_district().where(Plan.status == SUBMITTED)
    if grant.role == DISTRICT_COORDINATOR:
        query = query.where((Organisation.parent == grant.organisation_id)
                            & (Organisation.kind == SCHOOL))
    elif grant.role == PED_COORDINATOR:
        query = query.where(_reviewed_by_ped())
    else:
        return []
    plans = list(query.order_by(Plan.submitted_at, Plan.id))
    rounds = dict(Submission
                  .select(Submission.plan, fn.MAX(Submission.round))
                  .where(Submission.plan.in_([p.id for p in plans]))
                  .group_by(Submission.plan)
                  .tuples())
    for plan in plans:
        plan.round = rounds.get(plan.id)
    return plans


def plans_reviewable_by(grant):
    """Return the plans the active role may open for review and decide."""
    if grant.role == PED_COORDINATOR:
        return plans_visible_to(grant)
    return (plans_visible_to(grant)
            .where(Organisation.parent == grant.organisation_id))


def reviewable_plan_or_404(plan_id):
    return plan_or_404(plans_reviewable_by(current_grant()), plan_id)


def latest_submissions(plan, count=2):
    return list(plan.submissions
                .order_by(Submission.round.desc())
                .limit(count))


class DecisionForm(FlaskForm):
    decision = RadioField(
        "Decision",
        choices=[SelectChoice(APPROVED, "Approve"),
                 SelectChoice(RETURNED, "Return for changes")],
        validators=[InputRequired("Choose Approve or Return for changes.")])
    comments = TextAreaField(
        "Comments for the coordinators",
        validators=[Length(max=5000, message="Keep comments under 5,000 "
                                             "characters.")])

    def validate_comments(self, field):
        if self.decision.data == RETURNED and not field.data.strip():
            raise ValidationError("Write what the coordinators should "
                                  "change before returning the plan.")


class DecisionRejected(Exception):
    """A decision that the plan's state does not allow."""


DECIDED_MEANWHILE = ("Another reviewer decided this round a moment ago. "
                     "Reload the page to see the decision.")


def plan_coordinators(plan):
    """Return the users who hold an active coordinator role at the plan's
    organisation.

    These are its school coordinators, or its district coordinators for a
    district plan.
    """
    return list(User.select()
                .join(RoleGrant, on=(RoleGrant.user == User.id))
                .where((RoleGrant.organisation == plan.organisation_id)
                       & RoleGrant.role.in_([SCHOOL_COORDINATOR,
                                             DISTRICT_COORDINATOR])
                       & (RoleGrant.status == ACTIVE))
                .distinct()
                .order_by(User.email))


def record_decision(plan, reviewer, decision, comments):
    """Approve or return a submitted plan and return the new Review.

    Raises DecisionRejected when the plan is not submitted or its round
    already has a decision. The unique Review per submission settles a
    race between two reviewers: the second one is rejected.
    """
    try:
        with database.atomic():
            return _record_decision(plan, reviewer, decision, comments)
    except IntegrityError:
        raise DecisionRejected(DECIDED_MEANWHILE) from None


def _record_decision(plan, reviewer, decision, comments):
    [latest] = latest_submissions(plan, 1) or [None]
    if plan.status != SUBMITTED or latest is None:
        raise DecisionRejected(
            f"This plan is {plan.status_name.lower()}, not submitted: only "
            "a submitted plan can be approved or returned.")
    earlier = latest.reviews.first()
    if earlier is not None:
        raise DecisionRejected(
            f"Round {latest.round} was already decided "
            f"({earlier.decision}); a new round starts when the plan is "
            "submitted again.")

    now = utcnow()
    review = Review.create(submission=latest, reviewer=reviewer,
                           decision=decision, comments=comments,
                           decided_at=now)
    changed = (Plan.update(status=decision, updated_at=now,
                           approved_at=now if decision == APPROVED else None)
               .where((Plan.id == plan.id) & (Plan.status == SUBMITTED))
               .execute())
    if not changed:
        raise DecisionRejected(DECIDED_MEANWHILE)  # rolls the Review back
    AuditEvent.create(
        actor=reviewer, action=f"plan.{decision}", subject=f"plan:{plan.id}",
        detail=(f"submission:{latest.id} round:{latest.round} "
                f"review:{review.id}"))
    _queue_decision_mail(plan, latest, review)
    logger.info("plan %s round %s %s by user %s (review %s)", plan.id,
                latest.round, decision, reviewer.id, review.id)
    return review


def _queue_decision_mail(plan, submission, review):
    approved = review.decision == APPROVED
    outcome = "approved" if approved else "returned for changes"
    body = render_template(
        "reviews/plan_decision_mail.txt", title=plan_title(plan),
        submission=submission, review=review, outcome=outcome,
        approved=approved,
        url=url_for("reports.print_view", plan_id=plan.id, _external=True))
    for user in plan_coordinators(plan):
        queue_mail(user.email, f"Your attendance plan was {outcome}", body)


def render_review(plan, form, status=200, rejection=None):
    latest, previous = (latest_submissions(plan) + [None, None])[:2]
    snapshot = load_snapshot(latest)
    body = changes = None
    if snapshot is not None:
        document = snapshot_document(plan, snapshot)
        body = render_body(document, list(SECTIONS))
        labels = {row.key: row.label for row in
                  document["group_targets"] + document["grade_targets"]}
        if previous is not None:
            changes = snapshot_changes(load_snapshot(previous), snapshot,
                                       labels)
    return render_template(
        "reviews/plan_review.html", plan=plan, title=plan_title(plan),
        submission=latest, previous=previous, body=body, changes=changes,
        decision=latest.reviews.first() if latest else None, form=form,
        rejection=rejection, history=round_history(plan)), status


def round_history(plan):
    """Return (Submission, Review or None) per round, newest first."""
    rows = (Submission.select(Submission, Review, User)
            .join(Review, JOIN.LEFT_OUTER,
                  on=(Review.submission == Submission.id), attr="review")
            .join(User, JOIN.LEFT_OUTER,
                  on=(Review.reviewer == User.id), attr="reviewer")
            .where(Submission.plan == plan)
            .order_by(Submission.round.desc()))
    history = []
    for row in rows:
        review = getattr(row, "review", None)
        history.append((row, review if review and review.id else None))
    return history


@bp.get("/plans/<int:plan_id>")
@role_required(DISTRICT_COORDINATOR, PED_COORDINATOR)
def review_plan(plan_id):
    plan = reviewable_plan_or_404(plan_id)
    return render_review(plan, DecisionForm())


@bp.post("/plans/<int:plan_id>/decision")
@role_required(DISTRICT_COORDINATOR, PED_COORDINATOR)
def decide_plan(plan_id):
    plan = reviewable_plan_or_404(plan_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return render_review(plan, form, 400)

    try:
        review = record_decision(plan, current_user.user, form.decision.data,
                                 form.comments.data.strip())
    except DecisionRejected as error:
        logger.info("decision on plan %s by user %s rejected: %s", plan.id,
                    current_user.user.id, error)
        return render_review(plan, form, 409, rejection=str(error))
    outcome = "approved" if review.decision == APPROVED else "returned"
    flash(f"{plan.organisation.name}: plan {outcome}. The coordinators "
          "have been emailed.", "success")
    return redirect(url_for("reviews.review_plan", plan_id=plan.id))
