"""The inbox of pending registrations, and approving or rejecting one."""

import logging

from flask import (abort, flash, redirect, render_template, request,
                   url_for)
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import AnyOf, Length, ValidationError

from aip.accounts.events import queue_template_mail, record_event
from aip.auth import current_grant, role_required
from aip.db import database
from aip.models import Organisation, RoleGrant, User, utcnow
from aip.models.accounts import (ACTIVE, DISTRICT_COORDINATOR,
                                 PED_COORDINATOR, PENDING, REJECTED,
                                 SCHOOL_COORDINATOR)
from aip.reviews import bp
from aip.reviews.plan_reviews import plan_queue
from aip.ui import local_time

logger = logging.getLogger(__name__)

DECISION_NAMES = {ACTIVE: "approved", REJECTED: "rejected"}


class DecisionForm(FlaskForm):
    """Approve or reject, chosen by which of the two buttons is pressed."""

    decision = StringField(validators=[AnyOf(
        ["approve", "reject"], "Choose Approve or Reject.")])
    reason = TextAreaField("Reason for rejecting", [Length(max=2000)],
                           filters=[lambda value: (value or "").strip()])

    def validate_reason(self, field):
        if self.decision.data == "reject" and not field.data:
            raise ValidationError(
                "Give a reason for rejecting: the applicant receives it.")


@bp.get("/")
@role_required(DISTRICT_COORDINATOR, PED_COORDINATOR)
def inbox():
    reviewer = current_grant()
    return render_inbox(reviewer)


@bp.post("/registrations/<int:grant_id>")
@role_required(DISTRICT_COORDINATOR, PED_COORDINATOR)
def decide_registration(grant_id):
    registration = find_registration(current_grant(), grant_id)
    form = DecisionForm()
    if registration.status != PENDING:
        return already_decided(registration)
    if not form.validate_on_submit():
        return respond(registration, form)

    decided = decide(registration, form, current_grant())
    registration = find_registration(current_grant(), grant_id)
    if not decided:
        return already_decided(registration)
    if not request.htmx:
        flash(f"The registration of {registration.user.full_name} was "
              f"{DECISION_NAMES[registration.status]}.", "success")
    return respond(registration)


def registrations_decided_by(reviewer):
    """Return the registrations the reviewer's role decides, any status.

    A district coordinator decides school coordinators of its district;
    PED decides district coordinators and every school coordinator.
    """
    query = (RoleGrant.select(RoleGrant, User, Organisation)
             .join(User, on=(RoleGrant.user == User.id))
             .switch(RoleGrant)
             .join(Organisation)
             .where(RoleGrant.user != reviewer.user_id))
    if reviewer.role == PED_COORDINATOR:
        return query.where(RoleGrant.role.in_([SCHOOL_COORDINATOR,
                                               DISTRICT_COORDINATOR]))
    if reviewer.role == DISTRICT_COORDINATOR:
        return query.where((RoleGrant.role == SCHOOL_COORDINATOR)
                           & (Organisation.parent == reviewer.organisation_id))
    return query.where(RoleGrant.id.is_null())


def pending_registrations(reviewer):
    return (registrations_decided_by(reviewer)
            .where(RoleGrant.status == PENDING)
            .order_by(RoleGrant.requested_at, RoleGrant.id))


def find_registration(reviewer, grant_id):
    registration = (registrations_decided_by(reviewer)
                    .where(RoleGrant.id == grant_id)
                    .first())
    if registration is None:
        abort(404)
    return registration


def decide(registration, form, reviewer):
    """Approve or reject a pending registration.

    Returns False when another reviewer decided it first.
    """
    approve = form.decision.data == "approve"
    now = utcnow()
    fields = {
        "status": ACTIVE if approve else REJECTED,
        "decided_by": reviewer.user_id,
        "decided_at": now,
        "decision_reason": "" if approve else form.reason.data,
    }
    with database.atomic():
        changed = (RoleGrant.update(**fields)
                   .where((RoleGrant.id == registration.id)
                          & (RoleGrant.status == PENDING))
                   .execute())
        if not changed:
            return False
        registration = RoleGrant.get_by_id(registration.id)
        notify_applicant(registration)
        record_event(reviewer.user, f"registration.{registration.status}",
                     f"grant:{registration.id}",
                     f"user:{registration.user_id} "
                     f"reviewer_grant:{reviewer.id}")
    return True


def notify_applicant(registration):
    if registration.status == ACTIVE:
        queue_template_mail(
            registration.user.email, "Your AIP account is active",
            "registration_approved.txt", grant=registration,
            sign_in_url=url_for("accounts.sign_in", _external=True))
    else:
        queue_template_mail(
            registration.user.email, "Your AIP registration was rejected",
            "registration_rejected.txt", grant=registration)


def already_decided(registration):
    logger.info("grant %s already %s: decision by user %s ignored",
                registration.id, registration.status, current_user.id)
    decision = DECISION_NAMES.get(registration.status, registration.status)
    message = (f"This registration was already {decision} on "
               f"{local_time(registration.decided_at)}.")
    if request.htmx:
        return respond(registration, message=message)
    flash(message, "warning")
    return redirect(url_for("reviews.inbox"))


def respond(registration, form=None, message=None):
    """Return the row for htmx, or the inbox page with any form errors."""
    if request.htmx:
        return render_template("reviews/_registration_row.html",
                               registration=registration, form=form,
                               message=message)
    if form is not None:
        return render_inbox(current_grant(), registration.id, form)
    return redirect(url_for("reviews.inbox"))


def render_inbox(reviewer, failed_id=None, failed_form=None):
    return render_template(
        "reviews/inbox.html", registrations=pending_registrations(reviewer),
        failed_id=failed_id, failed_form=failed_form,
        plan_queue=plan_queue(reviewer))
