"""Submission snapshots: shown in the print layout and compared by round."""

import json
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from aip.plans.document import TierSection, plan_document
from aip.registry import get_registry

FIELD_LABELS = {
    "first_name": "First name", "last_name": "Last name", "title": "Title",
    "email": "Email", "phone": "Phone", "category": "Category",
    "custom_category": "Other category", "finding": "Finding",
    "evidence_data": "Evidence: attendance data",
    "evidence_surveys": "Evidence: surveys",
    "evidence_focus_groups": "Evidence: focus groups",
    "evidence_other": "Evidence: other", "name": "Name",
    "description": "Description", "rationale": "Rationale",
    "measure": "Measure", "collection_method": "Collection method",
    "collection_frequency": "Collection frequency", "activity": "Activity",
    "responsible": "Responsible", "resources": "Resources",
    "timeline": "Timeline", "due_on": "Due",
}

SECTION_NAMES = {
    "contact": "Contact", "team": "Team", "targets": "Targets",
    "root_causes": "Root causes", "tiers": "Tiers of support",
    "progress": "Progress",
}


def load_snapshot(submission):
    return json.loads(submission.snapshot) if submission else None


def _rows(items):
    return [SimpleNamespace(**item) for item in items or []]


def _strategy(values):
    values = dict(values)
    steps = _rows(values.pop("steps", []))
    return SimpleNamespace(**values, steps=steps)


def snapshot_document(plan, snapshot):
    """Return a plan_document-shaped dict holding a snapshot's entries.

    Enrollment and historical rates come from the current attendance
    figures, because snapshots keep only what the coordinator entered.
    """
    document = plan_document(plan)
    contact = snapshot.get("contact")
    document["contact"] = SimpleNamespace(**contact) if contact else None
    document["team"] = _rows(snapshot.get("team"))
    document["root_causes"] = _rows(snapshot.get("root_causes"))

    targets = snapshot.get("targets") or {}
    for row in document["group_targets"] + document["grade_targets"]:
        rate = targets.get(row.key)
        row.target = (SimpleNamespace(target_rate=Decimal(rate))
                      if rate is not None else None)

    tiers = snapshot.get("tiers") or {}
    document["tiers"] = [
        TierSection(tier, [_strategy(s) for s in tiers.get(str(tier.number),
                                                           [])])
        for tier in get_registry().tiers
    ]
    progress = snapshot.get("progress") or {}
    document["progress"] = [
        (period, SimpleNamespace(reflection=progress[period.code],
                                 submitted_at=None)
         if progress.get(period.code) else None)
        for period in get_registry().periods
    ]
    return document


@dataclass
class Change:
    section: str
    label: str
    old: object
    new: object


def _flatten(value, path, out):
    """Collect {path: leaf value} from nested dicts and lists."""
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, path + (key,), out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _flatten(item, path + (index,), out)
    else:
        out[path] = value
    return out


def _label(path, target_labels):
    """Name a snapshot path for reviewers: "Tier 2, strategy 1: Name"."""
    section, *rest = path
    parts = []
    if section == "tiers" and rest:
        parts.append(f"Tier {rest.pop(0)}")
    names = {"team": "member", "root_causes": "finding", "tiers": "strategy"}
    if rest and isinstance(rest[0], int):
        parts.append(f"{names.get(section, 'row')} {rest.pop(0) + 1}")
    if len(rest) >= 2 and rest[0] == "steps":
        parts.append(f"action step {rest[1] + 1}")
        rest = rest[2:]
    if section == "targets" and rest:
        return target_labels.get(rest[0], rest[0])
    if section == "progress" and rest:
        periods = {p.code: p.name for p in get_registry().periods}
        return periods.get(rest[0], rest[0])
    field = FIELD_LABELS.get(rest[-1], str(rest[-1])) if rest else ""
    text = ", ".join(parts)
    return f"{text}: {field}" if text and field else text or field


def snapshot_changes(old, new, target_labels=None):
    """Return a Change per value that differs between two snapshots.

    target_labels maps target keys ("group-ED") to the names to show.
    """
    before = _flatten(old or {}, (), {})
    after = _flatten(new or {}, (), {})
    changes = []
    for path in list(before) + [p for p in after if p not in before]:
        if before.get(path) != after.get(path):
            changes.append(Change(SECTION_NAMES.get(path[0], path[0]),
                                  _label(path, target_labels or {}),
                                  before.get(path),
                                  after.get(path)))
    return changes
