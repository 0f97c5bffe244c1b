"""Template filters and names the editor's templates share."""

from datetime import date
from decimal import Decimal

from aip.plans import bp
from aip.plans.forms import ROOT_CAUSE_CATEGORIES
from aip.plans.tabs import GUIDE_STEPS

REPORT_SECTIONS = (
    ("contact", "Contact information"),
    ("targets", "Subpopulation targets"),
    ("root_causes", "Root cause analysis"),
    ("tiers", "Tiers of support"),
    ("progress", "Progress updates"),
)


@bp.context_processor
def _editor_names():
    return {"guide_steps": GUIDE_STEPS,
            "report_sections": REPORT_SECTIONS,
            "root_cause_categories": ROOT_CAUSE_CATEGORIES}


@bp.app_template_filter("points")
def points(change):
    """Format a change in percentage points, such as "−4.5 pts"."""
    if change is None:
        return ""
    change = Decimal(change)
    sign = ""
    if change < 0:
        sign = "−"  # U+2212 MINUS SIGN, as typeset
    elif change > 0:
        sign = "+"
    return f"{sign}{abs(change):.1f} pts"


@bp.app_template_filter("rate_input")
def rate_input(rate):
    return "" if rate is None else f"{Decimal(rate):.1f}"


@bp.app_template_filter("date_input")
def date_input(value):
    return value.isoformat() if isinstance(value, date) else (value or "")


@bp.app_template_filter("raw_input")
def raw_input(value):
    """Return a stored value as the text an input would hold."""
    if isinstance(value, bool):
        return "y" if value else ""
    if isinstance(value, Decimal):
        return rate_input(value)
    return date_input(value)


@bp.app_template_filter("shown")
def shown(value):
    """Return a stored value as words for a conflict message."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "ticked" if value else "not ticked"
    return raw_input(value)
