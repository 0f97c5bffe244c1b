"""One set of templates for the print view, the PDF and plan reviews."""

import re

from flask import render_template
from markupsafe import Markup

from aip.models import utcnow
from aip.models.plans import APPROVED
from aip.reports.charts import rate_chart

# Sections a custom report may choose, in the order the report shows them.
SECTIONS = {
    "contact": "Contact and team",
    "targets": "Targets",
    "root_causes": "Root causes",
    "tiers": "Tiers of support and strategies",
    "progress": "Progress updates",
}


class SectionError(ValueError):
    """A custom report request with no sections or an unknown one."""


def parse_sections(args):
    """Return the sections a request names, or every section if none.

    A custom report form sends report=custom with one sections= value per
    ticked box, so an empty choice is an error and not the full report.
    """
    chosen = args.getlist("sections")
    if not chosen and args.get("report") != "custom":
        return list(SECTIONS)
    if not chosen:
        raise SectionError("Choose at least one section for a custom report.")
    unknown = [name for name in chosen if name not in SECTIONS]
    if unknown:
        raise SectionError(
            f"Unknown section: {', '.join(unknown)[:100]}. Choose from "
            f"{', '.join(SECTIONS.values()).lower()}.")
    return [name for name in SECTIONS if name in chosen]


def plan_title(plan):
    organisation = plan.organisation
    names = [organisation.name]
    if organisation.lea.id != organisation.id:
        names.append(organisation.lea.name)
    return (f"Attendance Improvement Plan — {', '.join(names)}, "
            f"{plan.school_year.name}")


def pdf_filename(plan):
    """Return "AIP-BELEN-HIGH-2026-27.pdf": ASCII letters, digits, dashes."""
    name = re.sub(r"[^A-Z0-9]+", "-", plan.organisation.name.upper())
    year = re.sub(r"[^0-9]+", "-", plan.school_year.name)
    return f"AIP-{name.strip('-')[:80] or 'PLAN'}-{year.strip('-')}.pdf"


def render_body(document, sections):
    """Render the chosen sections of a plan document as an HTML fragment."""
    return Markup(render_template(
        "reports/_plan.html", doc=document, sections=sections,
        section_names=SECTIONS,
        chart=rate_chart(document["group_targets"])))


def render_page(plan, body, sections, for_pdf=False, error=None):
    """Wrap a rendered body in the print page, with its header and marks."""
    return render_template(
        "reports/print.html", plan=plan, title=plan_title(plan), body=body,
        sections=sections, section_names=SECTIONS, for_pdf=for_pdf,
        draft=plan.status != APPROVED, printed_at=utcnow(), error=error)
