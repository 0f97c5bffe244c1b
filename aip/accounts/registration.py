"""Register New Account: the form, its htmx helpers and the request."""

import logging

from flask import redirect, render_template, request, session, url_for
from peewee import IntegrityError
from wtforms.widgets import PasswordInput

from aip.accounts import bp
from aip.accounts.events import queue_template_mail, record_event
from aip.accounts.forms import EMAIL_TAKEN, RegistrationForm
from aip.db import database
from aip.models import PasswordHistory, RoleGrant, User
from aip.models.accounts import (ACTIVE, DISTRICT_COORDINATOR,
                                 PED_COORDINATOR, SCHOOL_COORDINATOR)
from aip.models.organisations import DISTRICT
from aip.passwords import hash_password, rules_for

logger = logging.getLogger(__name__)

MAX_SEARCH_LENGTH = 100


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegistrationForm()
    if "show_schools" in request.form:
        return render_register(form, keep_passwords=True)
    if not form.validate_on_submit():
        return render_register(form)

    try:
        grant, approver = create_registration(form)
    except IntegrityError:
        form.email.errors.append(EMAIL_TAKEN)
        return render_register(form)
    session["registered"] = {"email": grant.user.email, "approver": approver}
    return redirect(url_for("accounts.registered"))


@bp.get("/register/done")
def registered():
    details = session.pop("registered", None)
    if details is None:
        return redirect(url_for("accounts.register"))
    return render_template("accounts/registered.html", **details)


@bp.get("/register/districts")
def district_options():
    """Return the district select, filtered by the search box (htmx)."""
    form = RegistrationForm(formdata=request.args)
    filter_districts(form, request.args.get("q", ""))
    return render_template("accounts/_district_select.html", form=form)


@bp.get("/register/schools")
def school_options():
    """Return the school field for the chosen district (htmx)."""
    form = RegistrationForm(formdata=request.args)
    return render_template("accounts/_school_field.html", form=form)


@bp.post("/password-check")
def password_check():
    """Return the password rule checklist for the typed password (htmx)."""
    password = (request.form.get("password")
                or request.form.get("new_password") or "")
    return render_template("accounts/_password_rules.html",
                           rules=rules_for(password))


def render_register(form, keep_passwords=False):
    if keep_passwords:
        # "Show schools" without JavaScript must not lose what was typed.
        form.password.widget = form.confirm.widget = PasswordInput(
            hide_value=False)
    filter_districts(form, request.form.get("q", ""))
    return render_template("accounts/register.html", form=form,
                           rules=rules_for(""),
                           email_taken=EMAIL_TAKEN in form.email.errors)


def filter_districts(form, query):
    """Keep the districts whose name contains query, and the chosen one."""
    query = query.strip().lower()[:MAX_SEARCH_LENGTH]
    if not query:
        return
    form.district.choices = [
        choice for choice in form.district.choices
        if not choice.value or query in choice.label.lower()
        or choice.value == form.district.data]


def create_registration(form):
    """Create the user and a pending grant; return it and who approves it."""
    with database.atomic():
        user = User.create(
            email=form.email.data.lower(), first_name=form.first_name.data,
            last_name=form.last_name.data, phone=form.phone.data,
            password_hash=hash_password(form.password.data))
        PasswordHistory.create(user=user, password_hash=user.password_hash)
        grant = RoleGrant.create(
            user=user, role=form.role.data, organisation=form.organisation,
            domain_verified=form.domain_verified)
        approvers, approver = approvers_for(grant)
        notify_registration(grant, approvers, approver)
        record_event(user, "registration.requested", f"grant:{grant.id}",
                     f"user:{user.id} role:{grant.role} "
                     f"organisation:{grant.organisation_id}")
    return grant, approver


def approvers_for(grant):
    """Return the users who decide grant, and a phrase naming them.

    A school coordinator is approved by the district coordinators of its
    district; PED approves district coordinators, school coordinators of
    state charters and those of a district with no district coordinator.
    """
    lea = grant.organisation.lea
    if grant.role == SCHOOL_COORDINATOR and lea.kind == DISTRICT:
        district_users = list(coordinators(DISTRICT_COORDINATOR, lea))
        if district_users:
            return district_users, (
                f"the District Absence Coordinator of {lea.name}")
    return list(coordinators(PED_COORDINATOR)), "a PED Absence Coordinator"


def coordinators(role, organisation=None):
    query = (User.select()
             .join(RoleGrant, on=(RoleGrant.user == User.id))
             .where((RoleGrant.role == role)
                    & (RoleGrant.status == ACTIVE)))
    if organisation is not None:
        query = query.where(RoleGrant.organisation == organisation)
    return query.distinct().order_by(User.id)


def notify_registration(grant, approvers, approver):
    user = grant.user
    queue_template_mail(user.email, "AIP registration received",
                        "registration_received.txt", grant=grant,
                        approver=approver)
    inbox_url = url_for("reviews.inbox", _external=True)
    for person in approvers:
        queue_template_mail(person.email, "AIP registration to review",
                            "registration_to_review.txt", grant=grant,
                            approver=person, inbox_url=inbox_url)
    if not approvers:
        logger.warning("grant %s has no active approver to notify",
                       grant.id)
