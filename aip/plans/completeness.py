"""The completeness check a plan must pass before it can be submitted.

State law requires of each plan a contact and a review of attendance
data. It also requires a root-cause analysis with its evidence and
strategies for every tier of support, with at least one Tier 1
whole-school strategy in every school. Each strategy needs a performance
measure with its collection method and frequency, and an implementation
plan of action steps.

Attendance data counts as reviewed when the "All students" row has a
target. A school with no "All students" figure this year needs a target
on at least one other row instead, because a school cannot be asked to
target a row it has no data for.
"""

from dataclasses import dataclass

from flask import url_for

from aip.plans.document import plan_document

CONTACT_FIELDS = (("first_name", "first name"), ("last_name", "last name"),
                  ("title", "title"), ("email", "email"))
STRATEGY_FIELDS = (("name", "name"), ("measure", "performance measure"),
                   ("collection_method", "how the measure is collected"),
                   ("collection_frequency", "how often it is collected"))


@dataclass(frozen=True)
class Missing:
    """One thing the plan still needs, and where to fix it."""

    message: str
    tab: str
    anchor: str

    def url(self, plan):
        return url_for("plans.tab", plan_id=plan.id, tab=self.tab,
                       _anchor=self.anchor)


def missing_items(plan, document=None):
    """Return the Missing items of a plan, in tab order; empty when done."""
    document = document or plan_document(plan)
    return (_contact(document) + _targets(document)
            + _root_causes(document) + _tiers(document))


def _contact(document):
    contact = document["contact"]
    missing = []
    for name, label in CONTACT_FIELDS:
        if contact is None or not getattr(contact, name):
            anchor = f"contact-{contact.id}-{name}" if contact else "contact"
            missing.append(Missing(f"Primary contact: enter the {label}.",
                                   "contact", anchor))
    return missing


def _has_target(row):
    return row.target is not None and row.target.target_rate is not None


def _targets(document):
    rows = document["group_targets"] + document["grade_targets"]
    everyone = next((row for row in document["group_targets"]
                     if row.group.code == "ALL"), None)
    if everyone is not None:
        if _has_target(everyone):
            return []
        return [Missing("Targets: set the “All students” target.",
                        "targets", "target-group-ALL-target_rate")]
    if any(_has_target(row) for row in rows):
        return []
    return [Missing("Targets: set at least one attendance target.",
                    "targets", "targets")]


def _root_causes(document):
    causes = document["root_causes"]
    found = [c for c in causes if c.finding]
    if not found:
        return [Missing("Root cause analysis: add at least one finding.",
                        "root-causes", "causes")]
    missing = []
    for cause in found:
        if cause.category == "other" and not cause.custom_category:
            missing.append(Missing(
                "Root cause analysis: name the category of the finding "
                f"“{_short(cause.finding)}”.",
                "root-causes", f"cause-{cause.id}-custom_category"))
        if not (cause.evidence_data or cause.evidence_surveys
                or cause.evidence_focus_groups or cause.evidence_other):
            missing.append(Missing(
                "Root cause analysis: say what evidence supports the "
                f"finding “{_short(cause.finding)}”.",
                "root-causes", f"cause-{cause.id}-evidence"))
    return missing


def _tiers(document):
    missing = []
    for section in document["tiers"]:
        tier = section.tier
        if not section.strategies:
            need = ("a whole-school strategy (state law asks every school "
                    "for one)" if tier.required_for_every_school
                    else "at least one strategy")
            missing.append(Missing(f"{tier.label}: add {need}.",
                                   "tiers", f"tier-{tier.number}"))
        for strategy in section.strategies:
            missing.extend(_strategy(tier, strategy))
    return missing


def _strategy(tier, strategy):
    missing = []
    title = f"{tier.label} strategy “{_short(strategy.name) or 'untitled'}”"
    for name, label in STRATEGY_FIELDS:
        if not getattr(strategy, name):
            missing.append(Missing(f"{title}: enter the {label}.", "tiers",
                                   f"strategy-{strategy.id}-{name}"))
    if not any(step.activity for step in strategy.steps):
        missing.append(Missing(f"{title}: add at least one action step.",
                               "tiers", f"strategy-{strategy.id}-steps"))
    return missing


def _short(text, length=40):
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1] + "…"
