"""Audit events and the mail queued with the change that causes it.

aip.mail delivers the queued mail once the request ends, after commit.
"""

import logging

from flask import render_template

from aip.mail import queue_mail
from aip.models import AuditEvent

logger = logging.getLogger(__name__)


def record_event(actor, action, subject, detail=""):
    """Store an audit event and log it, inside the caller's transaction."""
    AuditEvent.create(actor=actor, action=action, subject=subject,
                      detail=detail)
    logger.info("%s %s by user %s %s", action, subject,
                getattr(actor, "id", None), detail)


def queue_template_mail(recipient, subject, template, **context):
    """Queue a message whose body is rendered from accounts/email/."""
    body = render_template(f"accounts/email/{template}", **context)
    return queue_mail(recipient, subject, body)
