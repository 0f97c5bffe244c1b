"""Outgoing mail, queued in the transaction of the change that causes it."""

from peewee import CharField, DateTimeField, IntegerField, TextField

from aip.models.base import BaseModel, utcnow


class OutgoingMail(BaseModel):
    recipient = CharField(max_length=254)
    subject = CharField(max_length=200)
    body = TextField()
    created_at = DateTimeField(default=utcnow)
    next_attempt_at = DateTimeField(default=utcnow, index=True)
    attempts = IntegerField(default=0)
    sent_at = DateTimeField(null=True, index=True)
    last_error = TextField(default="")
    failed = IntegerField(default=0)  # 1 once attempts are exhausted
