"""The editor's tab pages, the Save button and the Submit Plan form."""

import logging
from dataclasses import dataclass, field

from flask import (abort, flash, redirect, render_template, request,
                   url_for)
from flask_login import current_user

from aip.auth import current_grant, plan_or_404, role_required
from aip.models import Plan, SchoolYear
from aip.models.plans import APPROVED, plans_editable_by, plans_visible_to
from aip.plans import bp, rows
from aip.plans.completeness import missing_items
from aip.plans.document import HISTORY_YEARS, plan_document
from aip.plans.saving import TabState, save_tab
from aip.plans.submission import CERTIFICATION, submit_plan
from aip.plans.tabs import TAB_KEYS, find_tab, tab_links, tabs_for

logger = logging.getLogger(__name__)

LOCKED_MESSAGE = ("Submitted plans can only be edited after PED/District "
                  "review.")
VIEW_ONLY_MESSAGE = "You can view this plan but not edit it in your role."
APPROVED_MESSAGE = "This plan is approved, so it can no longer be edited."

# The tab keys as arguments of Werkzeug's "any" URL converter.
TAB_CHOICES = ", ".join(f'"{key}"' for key in TAB_KEYS)


@dataclass
class Editor:
    """Editor state that every tab template reads besides the document."""

    plan: Plan
    tab: object
    tabs: list
    editable: bool
    notice: str
    state: TabState = field(default_factory=TabState)


def visible_plan(plan_id):
    """Return a plan the active role may read, or abort with 404."""
    return plan_or_404(plans_visible_to(current_grant()), plan_id)


def editable_plan(plan_id):
    """Return a plan of the active role's organisation, or abort with 404."""
    return plan_or_404(plans_editable_by(current_grant()), plan_id)


def is_own(plan):
    return (plans_editable_by(current_grant())
            .where(Plan.id == plan.id)
            .exists())


def tab_or_404(plan, key):
    tab = find_tab(plan, key)
    if tab is None:
        abort(404)
    return tab


def render_tab(plan, tab, state=None, status=200, **extra):
    """Render a tab as a fragment for htmx, else as the whole page."""
    own = is_own(plan)
    editable = own and plan.is_editable
    notice = ""
    if not own:
        notice = VIEW_ONLY_MESSAGE
    elif plan.status == APPROVED:
        notice = APPROVED_MESSAGE
    elif not editable:
        notice = LOCKED_MESSAGE
    if tab.key == "contact" and editable:
        rows.contact_for(plan)
    document = plan_document(plan)
    editor = Editor(plan, tab, tab_links(plan), editable, notice,
                    state or TabState())
    if tab.key == "submit":
        extra.setdefault("missing", missing_items(plan, document))
    template = tab.template if request.htmx else "plans/page.html"
    return render_template(
        template, ctx=editor, doc=document, certification=CERTIFICATION,
        review=plan.latest_review(),
        history_years=list(reversed(
            plan.school_year.previous(HISTORY_YEARS))),
        **extra), status


@bp.get("/current")
@role_required("school", "district")
def current():
    """Open the current school year's plan of the active organisation."""
    grant = current_grant()
    plan, created = Plan.get_or_create(
        organisation=grant.organisation, school_year=SchoolYear.current())
    if created:
        logger.info("plan %s created for organisation %s by user %s",
                    plan.id, grant.organisation_id, current_user.id)
    return redirect(url_for("plans.show", plan_id=plan.id))


@bp.get("/<int:plan_id>")
@role_required("school", "district")
def show(plan_id):
    plan = visible_plan(plan_id)
    first = tabs_for(plan)[0]
    return redirect(url_for("plans.tab", plan_id=plan.id, tab=first.key))


@bp.get(f"/<int:plan_id>/<any({TAB_CHOICES}):tab>")
@role_required("school", "district")
def tab(plan_id, tab):
    plan = visible_plan(plan_id)
    return render_tab(plan, tab_or_404(plan, tab))


@bp.post(f"/<int:plan_id>/<any({TAB_CHOICES}):tab>")
@role_required("school", "district")
def save(plan_id, tab):
    """Save every field of a tab (the Save button), then run its action."""
    plan = editable_plan(plan_id)
    current_tab = tab_or_404(plan, tab)
    if not plan.is_editable:
        return render_tab(plan, current_tab, status=409)
    if current_tab.key == "submit":
        return submit(plan, current_tab)

    state = save_tab(plan, current_tab.key, request.form)
    if not state.ok:
        flash("Some fields were not saved; see the messages beside them.",
              "error")
        return render_tab(plan, current_tab, state, status=422)

    anchor = run_action(plan, request.form.get("action", "save"))
    flash("Saved.", "success")
    return redirect(url_for("plans.tab", plan_id=plan.id,
                            tab=current_tab.key, _anchor=anchor))


def run_action(plan, action):
    """Add or remove a row for a plain form's button; return an anchor.

    Actions read "add:<kind>[:<parent>]" or "remove:<kind>:<id>".
    """
    verb, _, rest = action.partition(":")
    kind_name, _, argument = rest.partition(":")
    if verb not in ("add", "remove"):
        return None
    try:
        kind = rows.get_kind(kind_name)
        if not kind.addable:
            abort(404)
        if verb == "add":
            row = rows.add_row(plan, kind, argument or None)
            return f"{kind.name}-{row.id}"
        rows.remove_row(plan, kind, kind.get(plan, argument))
    except rows.RowNotFound:
        abort(404)
    return None


def submit(plan, current_tab):
    """Submit a complete, certified plan; else list what is missing."""
    missing = missing_items(plan)
    certified = request.form.get("certify") == "y"
    if missing or not certified:
        errors = {} if certified else {
            "certify": "Tick the box to certify the plan is complete."}
        return render_tab(plan, current_tab, status=422, missing=missing,
                          submit_errors=errors)
    submit_plan(plan, current_user.user)
    flash("Your plan was submitted for review. It is read-only until a "
          "reviewer approves it or returns it for changes.", "success")
    return redirect(url_for("plans.tab", plan_id=plan.id, tab="submit"))
