"""The landing page (role choice), home screen and announcements."""

import logging

from flask import (Blueprint, abort, flash, redirect, render_template,
                   request, url_for)
from flask_login import current_user, login_required

from aip.accounts.events import record_event
from aip.accounts.signin import safe_next
from aip.auth import choose_grant, current_grant, role_required
from aip.db import database
from aip.home.forms import AnnouncementForm, ChooseRoleForm, local_today
from aip.models import Announcement, Organisation, Plan, SchoolYear
from aip.models.accounts import PED_COORDINATOR
from aip.models.plans import APPROVED, plans_visible_to

logger = logging.getLogger(__name__)

bp = Blueprint("home", __name__)

MAX_ANNOUNCEMENTS = 20


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return render_template("home/welcome.html")
    grant = current_grant()
    if grant is None:
        return redirect(url_for("home.landing"))
    return render_home(grant, AnnouncementForm())


@bp.post("/announcements")
@role_required(PED_COORDINATOR)
def announce():
    form = AnnouncementForm()
    if not form.validate_on_submit():
        return render_home(current_grant(), form)
    with database.atomic():
        announcement = Announcement.create(
            title=form.title.data, body=form.body.data,
            expires_on=form.expires_on.data, posted_by=current_user.user)
        record_event(current_user.user, "announcement.posted",
                     f"announcement:{announcement.id}")
    flash("Announcement posted.", "success")
    return redirect(url_for("home.index"))


@bp.route("/roles", methods=["GET", "POST"])
@login_required
def landing():
    grants = list(current_user.user.active_grants())
    form = ChooseRoleForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("home/landing.html", grants=grants,
                               form=form)

    chosen = next((grant for grant in grants
                   if str(grant.id) == request.form.get("grant")), None)
    if chosen is None:
        abort(404)
    choose_grant(chosen)
    logger.info("user %s chose grant %s", current_user.id, chosen.id)
    return redirect(safe_next(form.next.data) or url_for("home.index"))


def render_home(grant, form):
    return render_template(
        "home/index.html", grant=grant, form=form,
        plans=certified_plans(grant), year=current_year(),
        announcements=current_announcements())


def current_year():
    return SchoolYear.get_or_none(SchoolYear.is_current == True)  # noqa: E712


def certified_plans(grant):
    """Return the approved plans of the current year that grant may see.

    Each plan's organisation gets an ``lea_name``; the parents are read
    in one query instead of one per plan.
    """
    year = current_year()
    if year is None:
        return []
    plans = list(plans_visible_to(grant)
                 .where((Plan.status == APPROVED)
                        & (Plan.school_year == year))
                 .order_by(Organisation.name))
    parent_ids = {plan.organisation.parent_id for plan in plans} - {None}
    parents = {org.id: org.name for org in
               Organisation.select().where(Organisation.id.in_(parent_ids))}
    for plan in plans:
        organisation = plan.organisation
        organisation.lea_name = parents.get(organisation.parent_id,
                                            organisation.name)
    return plans


def current_announcements():
    today = local_today()
    return (Announcement.select()
            .where(Announcement.expires_on.is_null()
                   | (Announcement.expires_on >= today))
            .order_by(Announcement.posted_at.desc(), Announcement.id.desc())
            .limit(MAX_ANNOUNCEMENTS))


def init_app(app):
    app.register_blueprint(bp)
