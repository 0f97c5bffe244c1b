"""Domain events kept for operators, and PED announcements."""

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, TextField

from aip.models.accounts import User
from aip.models.base import BaseModel, utcnow


class AuditEvent(BaseModel):
    actor = ForeignKeyField(User, null=True, on_delete="SET NULL")
    action = CharField(max_length=60, index=True)
    subject = CharField(max_length=100, default="")  # "plan:12", "grant:4"
    detail = TextField(default="")
    created_at = DateTimeField(default=utcnow, index=True)


class Announcement(BaseModel):
    title = CharField(max_length=200)
    body = TextField()
    posted_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    posted_at = DateTimeField(default=utcnow)
    expires_on = DateField(null=True)
