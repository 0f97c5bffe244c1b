"""Tiers of support and reporting periods, built in and from plugins.

A plugin is a function published under the ``aip.plugins`` entry-point
group. It receives the Registry and may replace a tier (same number) or
add a reporting period, so a state can add a 40-day period or move tier
bounds without touching views.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal
from importlib.metadata import entry_points

logger = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "aip.plugins"


@dataclass(frozen=True)
class Tier:
    """A tier of support for students missing [lower, upper) % of days."""

    number: int
    name: str
    focus: str
    lower: Decimal
    upper: Decimal | None
    required_for_every_school: bool = False

    @property
    def label(self):
        return f"Tier {self.number}"

    @property
    def bounds(self):
        if self.upper is None:
            return f"{self.lower:g}% or more of school days missed"
        if self.lower == 0:
            return f"under {self.upper:g}% of school days missed"
        return f"{self.lower:g}% to under {self.upper:g}% of school days missed"

    def contains(self, rate):
        rate = Decimal(rate)
        return rate >= self.lower and (self.upper is None or rate < self.upper)


@dataclass(frozen=True)
class ReportingPeriod:
    code: str
    name: str
    school_day: int | None  # None for the end of the school year
    position: int


BUILT_IN_TIERS = (
    Tier(1, "Whole-school prevention",
         "Programs that promote attendance for all students.",
         Decimal(0), Decimal(5), required_for_every_school=True),
    Tier(2, "Individualized prevention",
         "Targeted support for students at risk of chronic absence.",
         Decimal(5), Decimal(10)),
    Tier(3, "Early intervention",
         "Structured support that addresses emerging chronic absence.",
         Decimal(10), Decimal(20)),
    Tier(4, "Intensive support",
         "High-intensity interventions for severe chronic absence.",
         Decimal(20), None),
)

BUILT_IN_PERIODS = (
    ReportingPeriod("80day", "80-day", 80, 10),
    ReportingPeriod("120day", "120-day", 120, 20),
    ReportingPeriod("eoy", "End of year", None, 30),
)


class Registry:
    def __init__(self):
        self._tiers = {tier.number: tier for tier in BUILT_IN_TIERS}
        self._periods = {period.code: period for period in BUILT_IN_PERIODS}

    def register_tier(self, tier):
        self._tiers[tier.number] = tier

    def register_period(self, period):
        self._periods[period.code] = period

    @property
    def tiers(self):
        return [self._tiers[number] for number in sorted(self._tiers)]

    @property
    def periods(self):
        return sorted(self._periods.values(), key=lambda p: p.position)

    def tier(self, number):
        return self._tiers[int(number)]

    def period(self, code):
        return self._periods[code]

    def load_plugins(self):
        for entry_point in entry_points(group=ENTRY_POINT_GROUP):
            logger.info("loading AIP plugin %s", entry_point.name)
            entry_point.load()(self)


def init_app(app):
    registry = Registry()
    registry.load_plugins()
    app.extensions["aip_registry"] = registry
    app.jinja_env.globals["registry"] = registry


def get_registry():
    from flask import current_app
    return current_app.extensions["aip_registry"]
