"""Queue outgoing mail in the database and deliver it.

Mail is queued with ``queue_mail`` inside the transaction of the change
that causes it, so a rolled-back change sends nothing and a committed one
keeps its message in the queue until it is sent, or marked failed once
MAIL_MAX_ATTEMPTS run out. ``deliver_queued`` sends what is due, through
SMTP when AIP_SMTP_HOST is set and otherwise into the outbox folder under
instance/, and schedules a retry with back-off after each failure.

A request that queued mail delivers it when the request ends, after its
transaction has committed, so a sign-in code arrives without a worker.
``flask mail send --loop`` is the worker that retries what failed.
"""

import email
import email.policy
import logging
import smtplib
import ssl
import time
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import click
from flask import current_app, g, has_app_context
from flask.cli import AppGroup
from peewee import DatabaseError

from aip.db import database
from aip.models import OutgoingMail, utcnow

logger = logging.getLogger(__name__)

# A claimed message is not picked up by another process for this long, so
# a worker and a request delivering at the same time send it once. It is
# longer than any SMTP exchange allowed by AIP_SMTP_TIMEOUT_SECONDS.
CLAIM_SECONDS = 300


def queue_mail(recipient, subject, body):
    """Queue one plain-text message; call inside the causing transaction."""
    mail = OutgoingMail.create(recipient=recipient, subject=subject,
                               body=body)
    if has_app_context():
        g.setdefault("queued_mail_ids", []).append(mail.id)
    return mail


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
                # smtplib's own default context skips certificate checks.
                smtp.starttls(context=ssl.create_default_context(
                    cafile=config.get("SMTP_CA_FILE")))
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


def is_permanent(error):
    """Tell whether an SMTP error is a 5xx reply that a retry cannot fix."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600
                   for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    return False


@dataclass
class Delivery:
    """Ids of the messages one delivery run sent, will retry and gave up."""

    sent: list = field(default_factory=list)
    retrying: list = field(default_factory=list)
    failed: list = field(default_factory=list)


def due_mail(limit, ids=None):
    query = (OutgoingMail.select()
             .where(OutgoingMail.sent_at.is_null())
             .where(OutgoingMail.failed == 0)
             .where(OutgoingMail.next_attempt_at <= utcnow())
             .order_by(OutgoingMail.id)
             .limit(limit))
    if ids is not None:
        query = query.where(OutgoingMail.id.in_(ids))
    return list(query)


def claim(mail):
    """Take a due message for this process; return False if another did.

    The conditional update is atomic in SQLite and PostgreSQL, so when two
    processes race for one message only one of them sends it.
    """
    claimed = (OutgoingMail
               .update(attempts=OutgoingMail.attempts + 1,
                       next_attempt_at=utcnow() + timedelta(
                           seconds=CLAIM_SECONDS))
               .where(OutgoingMail.id == mail.id)
               .where(OutgoingMail.next_attempt_at == mail.next_attempt_at)
               .where(OutgoingMail.sent_at.is_null())
               .where(OutgoingMail.failed == 0)
               .execute())
    mail.attempts += 1
    return claimed == 1


def deliver(limit=50, ids=None):
    """Send the due messages, or the due ones among ids; return a Delivery."""
    backend = get_backend()
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    report = Delivery()
    for mail in due_mail(limit, ids):
        if not claim(mail):
            continue
        try:
            backend.send(build_message(mail), mail)
        except (OSError, smtplib.SMTPException) as error:
            mail.last_error = f"{type(error).__name__}: {error}"[:1000]
            mail.next_attempt_at = utcnow() + retry_delay(mail.attempts)
            mail.failed = int(mail.attempts >= max_attempts
                              or is_permanent(error))
            (report.failed if mail.failed else report.retrying).append(mail.id)
            logger.warning("mail %s to %s failed on attempt %s%s: %s",
                           mail.id, mail.recipient, mail.attempts,
                           ", giving up" if mail.failed else ", will retry",
                           mail.last_error)
        else:
            report.sent.append(mail.id)
            mail.sent_at = utcnow()
            mail.last_error = ""
        mail.save()
    return report


def deliver_queued(limit=50):
    """Send the queued mail that is due; return (sent, failed) counts.

    failed counts every failed attempt, whether it will be retried or not.
    """
    report = deliver(limit)
    return len(report.sent), len(report.retrying) + len(report.failed)


def deliver_after_request(exc):
    """Deliver the mail this request queued, once its transaction is over.

    Runs as a teardown, so a rolled-back transaction has left no row to
    find. A failure is logged and the mail stays queued for the worker:
    the user's request never fails because the mail server did.
    """
    ids = g.pop("queued_mail_ids", None)
    if not ids:
        return
    try:
        database.connect(reuse_if_open=True)
        deliver(limit=len(ids), ids=ids)
    except Exception:
        logger.exception("delivering mail %s after the request failed", ids)


def deliver_with_connection():
    """Deliver, opening a connection for the call unless one is open."""
    opened = database.connect(reuse_if_open=True)
    try:
        return deliver()
    finally:
        if opened:
            database.close()


mail_cli = AppGroup("mail", help="Deliver queued mail and read the outbox.")


@mail_cli.command("send")
@click.option("--loop", is_flag=True,
              help="Keep delivering, as a worker process does.")
@click.option("--interval", default=10.0, show_default=True,
              help="Seconds between deliveries with --loop.")
@click.option("--rounds", default=0, show_default=True,
              help="Stop after this many deliveries with --loop; 0 runs "
                   "until stopped.")
def send_command(loop, interval, rounds):
    """Deliver the mail that is due; exit 1 if any message failed for good."""
    failed = 0
    count = 0
    while True:
        count += 1
        try:
            report = deliver_with_connection()
        except DatabaseError:
            if not loop:
                raise
            # A worker outlives a database restart: retry next round.
            logger.exception("mail delivery round %s failed", count)
        else:
            failed += len(report.failed)
            click.echo(f"sent {len(report.sent)}, will retry "
                       f"{len(report.retrying)}, failed {len(report.failed)}")
        if not loop or count == rounds:
            break
        time.sleep(interval)
    if failed:
        raise click.exceptions.Exit(1)


@mail_cli.command("outbox")
@click.option("-n", "count", default=5, show_default=True,
              help="Number of messages to show, newest first.")
def outbox_command(count):
    """Print the newest messages written to the outbox folder."""
    paths = sorted(outbox_folder().glob("*.eml"), reverse=True)[:count]
    if not paths:
        click.echo(f"The outbox {outbox_folder()} is empty.")
    for path in paths:
        message = email.message_from_bytes(path.read_bytes(),
                                           policy=email.policy.default)
        click.echo(f"Date:    {message['Date']}")
        click.echo(f"To:      {message['To']}")
        click.echo(f"Subject: {message['Subject']}")
        click.echo("")
        click.echo(message.get_content().rstrip())
        click.echo("-" * 60)


def init_app(app):
    """Register the mail commands and delivery at the end of a request."""
    app.teardown_request(deliver_after_request)
    app.cli.add_command(mail_cli)
