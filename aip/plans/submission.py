"""Submitting a complete plan for review, with its snapshot and mail."""

import json
import logging

from flask import url_for
from peewee import fn

from aip.db import database
from aip.mail import queue_mail
from aip.models import (AuditEvent, Organisation, Plan, RoleGrant,
                        Submission, User, utcnow)
from aip.models.accounts import (ACTIVE, DISTRICT_COORDINATOR,
                                 PED_COORDINATOR)
from aip.models.organisations import DISTRICT, SCHOOL, STATE
from aip.models.plans import SUBMITTED
from aip.plans.document import plan_snapshot

logger = logging.getLogger(__name__)

CERTIFICATION = "I certify this plan is complete."


def coordinators(role, organisations):
    """Return the users with an active role grant at any of organisations."""
    return list(User.select()
                .join(RoleGrant, on=(RoleGrant.user == User.id))
                .where((RoleGrant.role == role)
                       & (RoleGrant.status == ACTIVE)
                       & RoleGrant.organisation.in_(organisations))
                .distinct()
                .order_by(User.email))


def reviewers(plan):
    """Return who reviews plan: its district's coordinators, else PED's.

    A school plan goes to the active district coordinators of its
    district. A state charter's school, a school whose district has no
    active coordinator, and a district's own plan go to PED.
    """
    organisation = plan.organisation
    lea = organisation.lea
    if organisation.kind == SCHOOL and lea.kind == DISTRICT:
        found = coordinators(DISTRICT_COORDINATOR, [lea])
        if found:
            return found
    ped = Organisation.select().where(Organisation.kind == STATE)
    return coordinators(PED_COORDINATOR, ped)


def submit_plan(plan, user):
    """Submit plan as user: status, snapshot, audit event and mail.

    Everything happens in one transaction, so a failure leaves the plan
    a draft and sends nothing. The caller checks completeness first.
    """
    with database.atomic():
        now = utcnow()
        last_round = (Submission.select(fn.MAX(Submission.round))
                      .where(Submission.plan == plan)
                      .scalar()) or 0
        submission = Submission.create(
            plan=plan, round=last_round + 1, submitted_by=user,
            submitted_at=now, certification=CERTIFICATION,
            snapshot=json.dumps(plan_snapshot(plan), sort_keys=True))
        (Plan.update(status=SUBMITTED, submitted_at=now, updated_at=now)
         .where(Plan.id == plan.id)
         .execute())
        AuditEvent.create(actor=user, action="plan.submitted",
                          subject=f"plan:{plan.id}",
                          detail=f"round {submission.round}")
        _queue_notices(plan, user, submission)
    plan.status = SUBMITTED
    plan.submitted_at = now
    logger.info("plan %s submitted by user %s (round %s)", plan.id,
                user.id, submission.round)
    return submission


def _queue_notices(plan, user, submission):
    name = plan.organisation.name
    year = plan.school_year.name
    link = url_for("plans.tab", plan_id=plan.id, tab="submit",
                   _external=True)
    for reviewer in reviewers(plan):
        queue_mail(
            reviewer.email,
            f"Attendance plan submitted for review: {name} {year}",
            f"{user.full_name} submitted the {year} attendance improvement "
            f"plan of {name} for review (round {submission.round}).\n\n"
            f"Open it in AIP: {link}\n")
    queue_mail(
        user.email,
        f"Your attendance plan was submitted: {name} {year}",
        f"You submitted the {year} attendance improvement plan of {name} "
        "for review. It is read-only until a reviewer approves it or "
        f"returns it for changes.\n\nView it in AIP: {link}\n")
