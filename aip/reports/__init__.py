"""The print view and PDF of a plan, for anyone who may read the plan."""

from flask import Blueprint, Response, request

from aip.auth import current_grant, plan_or_404, role_required
from aip.models.plans import plans_visible_to
from aip.plans.document import plan_document
from aip.reports.pdf import cached_pdf
from aip.reports.render import (SECTIONS, SectionError, parse_sections,
                                pdf_filename, render_body, render_page)

bp = Blueprint("reports", __name__, url_prefix="/plans")


def visible_plan_or_404(plan_id):
    return plan_or_404(plans_visible_to(current_grant()), plan_id)


def print_page(plan, sections, error=None):
    body = render_body(plan_document(plan), sections)
    return render_page(plan, body, sections, error=error)


@bp.get("/<int:plan_id>/print")
@role_required()
def print_view(plan_id):
    plan = visible_plan_or_404(plan_id)
    try:
        sections = parse_sections(request.args)
    except SectionError as error:
        return print_page(plan, list(SECTIONS), str(error)), 400
    return print_page(plan, sections)


# The endpoint is reports.pdf; the function has another name so that it
# does not hide the aip.reports.pdf module.
@bp.get("/<int:plan_id>/plan.pdf", endpoint="pdf")
@role_required()
def download_pdf(plan_id):
    plan = visible_plan_or_404(plan_id)
    try:
        sections = parse_sections(request.args)
    except SectionError as error:
        return print_page(plan, list(SECTIONS), str(error)), 400

    body = render_body(plan_document(plan), sections)
    data = cached_pdf(plan, sections, body,
                      lambda: render_page(plan, body, sections, for_pdf=True))
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{pdf_filename(plan)}"',
        "Cache-Control": "private, no-cache",
    })


def init_app(app):
    app.register_blueprint(bp)
