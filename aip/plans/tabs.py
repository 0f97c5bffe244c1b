"""The editor's tabs for each kind of plan, and the guideline steps.

Each tab is its own URL (/plans/<id>/<key>) and its own fragment
template (plans/_<key with underscores>.html).
"""

from dataclasses import dataclass

from flask import url_for

from aip.models.organisations import SCHOOL


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    guide_steps: tuple = ()

    @property
    def template(self):
        return f"plans/_{self.key.replace('-', '_')}.html"


SCHOOL_TABS = (
    Tab("contact", "Contact information", (1,)),
    Tab("targets", "Subpopulation targets"),
    Tab("root-causes", "Root cause analysis", (2,)),
    Tab("tiers", "Tiers of support", (3, 4)),
    Tab("progress", "Progress updates", (4, 5)),
    Tab("submit", "Final submission"),
    Tab("print-plan", "Print plan"),
)

# TODO: the district plan has its own steps (school targets, document
# uploads); until they are built it shares the school plan's tabs.
DISTRICT_TABS = SCHOOL_TABS

TAB_KEYS = sorted({tab.key for tab in SCHOOL_TABS + DISTRICT_TABS})

GUIDE_STEPS = {
    1: "Determine stakeholder needs and challenges",
    2: "Get to the core issues using the root cause analysis",
    3: "Develop targeted strategies",
    4: "Measure progress (every 40 days)",
    5: "Review progress using continuous quality improvement",
}


def tabs_for(plan):
    """Return the tabs of a plan, which depend on its organisation's kind."""
    if plan.organisation.kind == SCHOOL:
        return SCHOOL_TABS
    return DISTRICT_TABS


def find_tab(plan, key):
    return next((tab for tab in tabs_for(plan) if tab.key == key), None)


def tab_links(plan):
    """Return (key, label, url) triples for the tab_strip macro."""
    return [(tab.key, tab.label,
             url_for("plans.tab", plan_id=plan.id, tab=tab.key))
            for tab in tabs_for(plan)]
