"""Autosave of one field, and adding or removing rows in place (htmx).

A field save returns a fragment for the field's status element. Status
200 carries "Saved 10:42 AM" and the row's new version, as an
out-of-band swap of the row's hidden version input. Status 409 carries a
conflict with both values, or the notice that the plan is no longer
editable, and 422 the message for invalid input. Every reply carries the
AIP-Autosave header, so the client can tell it from a sign-in page
reached through a redirect.
"""

import logging

from flask import abort, make_response, redirect, render_template, \
    request, url_for

from aip.auth import role_required
from aip.models import utcnow
from aip.plans import bp, rows
from aip.plans.saving import CONFLICT, INVALID, save_field
from aip.plans.views import (LOCKED_MESSAGE, Editor, TabState,
                             editable_plan)
from aip.plans.document import target_rows

logger = logging.getLogger(__name__)

STATUS_CODES = {"saved": 200, CONFLICT: 409, INVALID: 422}
ROW_TEMPLATES = {
    "member": "plans/_member.html",
    "cause": "plans/_cause.html",
    "strategy": "plans/_strategy.html",
    "step": "plans/_step.html",
}


def kind_or_404(name, addable=False):
    kind = rows.KINDS.get(name)
    if kind is None or (addable and not kind.addable):
        abort(404)
    return kind


def autosave_reply(body, status):
    response = make_response(body, status)
    response.headers["AIP-Autosave"] = "1"
    return response


def locked_reply():
    return autosave_reply(render_template(
        "plans/_save_status.html", outcome="locked",
        message=LOCKED_MESSAGE), 409)


@bp.post("/<int:plan_id>/rows/<kind>/<key>/<field>")
@role_required("school", "district")
def save_field_view(plan_id, kind, key, field):
    """Save one field of one row, as autosave posts it."""
    plan = editable_plan(plan_id)
    row_kind = kind_or_404(kind)
    if field not in row_kind.fields:
        abort(404)
    if not plan.is_editable:
        return locked_reply()

    force = request.form.get("force") == "1"
    try:
        result = save_field(plan, row_kind, key, field, request.form, force)
    except rows.RowNotFound:
        abort(404)

    change = None
    if row_kind.name == "target" and result.outcome == "saved":
        change = target_change(plan, key)
    body = render_template(
        "plans/_save_status.html", outcome=result.outcome, result=result,
        plan=plan, kind=row_kind, key=key, field=field,
        prefix=row_kind.prefix(key), saved_at=utcnow(), change=change)
    return autosave_reply(body, STATUS_CODES[result.outcome])


def target_change(plan, key):
    """Return the target row for key, to show its change from last year."""
    group_rows, grade_rows, _ = target_rows(plan)
    return next((row for row in group_rows + grade_rows if row.key == key),
                None)


@bp.post("/<int:plan_id>/rows/<kind>")
@role_required("school", "district")
def add_row(plan_id, kind):
    """Add an empty row; htmx gets the row's fragment to insert."""
    plan = editable_plan(plan_id)
    row_kind = kind_or_404(kind, addable=True)
    if not plan.is_editable:
        return locked_reply()
    try:
        row = rows.add_row(plan, row_kind, request.values.get("parent"))
    except rows.RowNotFound:
        abort(404)
    logger.info("plan %s: added %s %s", plan.id, row_kind.name, row.id)

    if not request.htmx:
        return redirect(url_for("plans.tab", plan_id=plan.id,
                                tab=row_kind.tab,
                                _anchor=row_kind.prefix(row.id)))
    if row_kind.name == "strategy":
        row.steps = []
    editor = Editor(plan, None, [], True, "", TabState())
    return render_template(ROW_TEMPLATES[row_kind.name], ctx=editor,
                           row=row)


@bp.post("/<int:plan_id>/rows/<kind>/<key>/remove")
@role_required("school", "district")
def remove_row(plan_id, kind, key):
    """Remove a row; htmx swaps the row out with the empty reply."""
    plan = editable_plan(plan_id)
    row_kind = kind_or_404(kind, addable=True)
    if not plan.is_editable:
        return locked_reply()
    try:
        rows.remove_row(plan, row_kind, row_kind.get(plan, key))
    except rows.RowNotFound:
        abort(404)
    logger.info("plan %s: removed %s %s", plan.id, row_kind.name, key)

    if not request.htmx:
        return redirect(url_for("plans.tab", plan_id=plan.id,
                                tab=row_kind.tab))
    return ""
