"""Queue outgoing mail in the database and deliver it.

Mail is queued with ``queue_mail`` inside the transaction of the change
that causes it, so a rolled-back change sends nothing and a committed one
never loses its message. ``deliver_queued`` sends what is due, through
SMTP when AIP_SMTP_HOST is set and otherwise into the outbox folder under
instance/, and schedules a retry with back-off after each failure.
"""

import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app

from aip.models import OutgoingMail, utcnow

logger = logging.getLogger(__name__)


def queue_mail(recipient, subject, body):
    """Queue one plain-text message; call inside the causing transaction."""
    return OutgoingMail.create(recipient=recipient, subject=subject,
                               body=body)


def build_message(mail):
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(idstring=f"aip{mail.id}")
    message.set_content(mail.body)
    return message


class OutboxBackend:
    """Write each message as an .eml file under instance/outbox/."""

    def __init__(self, folder):
        self.folder = Path(folder)

    def send(self, message, mail):
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S")
        path = self.folder / f"{stamp}-{mail.id:06d}.eml"
        path.write_bytes(bytes(message))
        logger.info("mail %s to %s written to outbox file %s",
                    mail.id, mail.recipient, path)


class SmtpBackend:
    def __init__(self, config):
        self.config = config

    def send(self, message, mail):
        config = self.config
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"],
                          timeout=config["SMTP_TIMEOUT_SECONDS"]) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config["SMTP_USERNAME"]:
                smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
            smtp.send_message(message)
        logger.info("mail %s to %s sent through %s:%s", mail.id,
                    mail.recipient, config["SMTP_HOST"], config["SMTP_PORT"])


def get_backend():
    config = current_app.config
    if config.get("SMTP_HOST"):
        return SmtpBackend(config)
    return OutboxBackend(outbox_folder())


def outbox_folder():
    configured = current_app.config.get("OUTBOX_DIR")
    return Path(configured or Path(current_app.instance_path) / "outbox")


def retry_delay(attempts):
    """Return the wait before attempt number attempts + 1 (30 s doubling)."""
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


def deliver_queued(limit=50):
    """Send the queued mail that is due; return (sent, failed) counts."""
    backend = get_backend()
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    due = (OutgoingMail.select()
           .where(OutgoingMail.sent_at.is_null()
                  & (OutgoingMail.failed == 0)
                  & (OutgoingMail.next_attempt_at <= utcnow()))
           .order_by(OutgoingMail.id)
           .limit(limit))
    sent = failed = 0
    for mail in due:
        mail.attempts += 1
        try:
            backend.send(build_message(mail), mail)
        except (OSError, smtplib.SMTPException) as error:
            failed += 1
            mail.last_error = f"{type(error).__name__}: {error}"[:1000]
            mail.next_attempt_at = utcnow() + retry_delay(mail.attempts)
            mail.failed = int(mail.attempts >= max_attempts)
            logger.warning("mail %s to %s failed on attempt %s: %s",
                           mail.id, mail.recipient, mail.attempts,
                           mail.last_error)
        else:
            sent += 1
            mail.sent_at = utcnow()
            mail.last_error = ""
        mail.save()
    return sent, failed


def init_app(app):
    """Register the mail commands; delivery runs after each request."""
    # TODO: `flask mail` commands (send the queue, print the outbox).
