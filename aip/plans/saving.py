"""Saving typed values into a plan's rows, one field or a whole tab.

Autosave and the Save button share these rules. Each row's inputs carry
the row version the page was rendered from, and a field is validated
before anything is written. A stale version conflicts only when that
same field changed on the server since (``VersionedModel.apply_edit``),
so edits to other fields merge.
"""

import logging
from dataclasses import dataclass, field

from peewee import IntegrityError

from aip.db import database
from aip.models import EditConflict
from aip.plans import rows

logger = logging.getLogger(__name__)

SAVED = "saved"
INVALID = "invalid"
CONFLICT = "conflict"


@dataclass
class FieldResult:
    """The outcome of saving one field."""

    outcome: str
    row: object
    message: str = ""
    conflict: EditConflict | None = None
    # (field, stored value) of the row's other fields that changed on
    # the server after the version the client sent, so its page is stale.
    merged: list = field(default_factory=list)


@dataclass
class TabState:
    """Messages and typed text to show beside fields after a tab save."""

    errors: dict = field(default_factory=dict)  # input name: message
    conflicts: dict = field(default_factory=dict)  # input name: conflict
    typed: dict = field(default_factory=dict)  # input name: typed text

    @property
    def ok(self):
        return not self.errors and not self.conflicts

    def value(self, name, stored):
        """Return the typed text for a field that failed, else stored."""
        if name in self.errors or name in self.conflicts:
            return self.typed.get(name, "")
        return stored

    def checked(self, name, stored):
        if name in self.errors or name in self.conflicts:
            return name in self.typed
        return stored


def read_version(formdata, prefix):
    try:
        return int(formdata.get(f"{prefix}-version", 0))
    except ValueError:
        return 0


def save_field(plan, kind, key, name, formdata, force=False):
    """Validate and save field name of one row from formdata.

    Raises rows.RowNotFound for a key outside the plan.
    """
    form = kind.form(formdata, prefix=kind.prefix(key))
    if not form[name].validate(form):
        row = kind.get(plan, key)
        return FieldResult(INVALID, row, " ".join(form[name].errors))
    base = read_version(formdata, kind.prefix(key))
    value = form.value(name)
    try:
        return _write(plan, kind, key, name, value, base, force)
    except IntegrityError:
        # Another request created the same lazily made row first.
        logger.info("plan %s: retrying save of %s %s after a race",
                    plan.id, kind.name, key)
        return _write(plan, kind, key, name, value, base, force)


def _write(plan, kind, key, name, value, base, force):
    with database.atomic():
        row = kind.get(plan, key, lock=True)
        try:
            changed = rows.apply_edit(row, name, value, base, force)
        except EditConflict as conflict:
            return FieldResult(CONFLICT, row, conflict=conflict)
        if changed:
            rows.touch(plan)
    merged = [(other, getattr(row, other)) for other in kind.fields
              if other != name and row.field_version(other) > base]
    return FieldResult(SAVED, row, merged=merged)


def keys_in_form(kind, plan, formdata):
    """Return the keys of kind's rows that the submitted tab carried."""
    if kind.name == "target":
        marker = "target-"
        return [name[len(marker):-len("-version")] for name in formdata
                if name.startswith(marker) and name.endswith("-version")]
    return [str(row.id) for row in kind.rows(plan)
            if f"{kind.prefix(row.id)}-version" in formdata]


def save_tab(plan, tab, formdata):
    """Save every field of every row the tab's form carried.

    Valid fields are written even when others fail, and the result lists
    each failure by input name with the text that was typed.
    """
    state = TabState(typed=formdata.to_dict())
    for kind in rows.KINDS.values():
        if kind.tab != tab:
            continue
        for key in keys_in_form(kind, plan, formdata):
            _save_row(plan, kind, key, formdata, state)
    return state


def _save_row(plan, kind, key, formdata, state):
    for name in kind.fields:
        input_name = f"{kind.prefix(key)}-{name}"
        if input_name not in formdata and not _is_checkbox(kind, name):
            continue
        try:
            result = save_field(plan, kind, key, name, formdata)
        except rows.RowNotFound:
            return
        if result.outcome == INVALID:
            state.errors[input_name] = result.message
        elif result.outcome == CONFLICT:
            state.conflicts[input_name] = result.conflict


def _is_checkbox(kind, name):
    return kind.form()[name].type == "BooleanField"
