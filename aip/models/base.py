"""The base model and the per-field versioning that autosave relies on."""

import json
from datetime import datetime, timezone

from peewee import IntegerField, Model, TextField

from aip.db import database


def utcnow():
    """Return the current time as a naive UTC datetime, as stored."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class EditConflict(Exception):
    """A save whose field changed on the server since the client read it."""

    def __init__(self, row, field, theirs, mine):
        super().__init__(f"{type(row).__name__} {row.id}: {field} changed")
        self.row = row
        self.field = field
        self.theirs = theirs
        self.mine = mine


class VersionedModel(BaseModel):
    """A row edited by autosave, with a version per row and per field.

    ``version`` counts every save of the row. ``field_versions`` stores,
    for each field, the row version at which it last changed, so a save
    made from an older version conflicts only when its own field changed
    since; edits to other fields of the row merge.
    """

    version = IntegerField(default=1)
    field_versions = TextField(default="{}")

    def field_version(self, field):
        return json.loads(self.field_versions or "{}").get(field, 0)

    def apply_edit(self, field, value, base_version, force=False):
        """Set one field from a client that read the row at base_version.

        Raises EditConflict when the field changed after base_version and
        contains something other than value, unless force is set (the user
        chose to keep their text). The caller saves inside a transaction.
        """
        current = getattr(self, field)
        stale = self.field_version(field) > base_version
        if stale and not force and current != value:
            raise EditConflict(self, field, current, value)
        if current == value:
            return False
        setattr(self, field, value)
        self.version += 1
        versions = json.loads(self.field_versions or "{}")
        versions[field] = self.version
        self.field_versions = json.dumps(versions, sort_keys=True)
        return True
