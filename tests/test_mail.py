"""Mail delivery through a real SMTP server the tests start on loopback."""

import email
import email.policy
import logging
import ssl
import subprocess
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from aip.db import database
from aip.mail import claim, deliver_queued, queue_mail
from aip.models import OutgoingMail, utcnow

CODE_BODY = "Your sign-in code is 482913. It expires in 10 minutes."


class RecordingHandler:
    """An aiosmtpd handler that keeps each message, or answers an error."""

    def __init__(self):
        self.envelopes = []
        self.reply = None  # an SMTP reply such as "451 ..." to fail DATA

    async def handle_DATA(self, server, session, envelope):
        if self.reply:
            return self.reply
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def messages(self):
        return [email.message_from_bytes(envelope.content,
                                         policy=email.policy.default)
                for envelope in self.envelopes]


class SmtpServer:
    """An aiosmtpd server on a fixed loopback port that can go down."""

    def __init__(self, port):
        self.port = port
        self.handler = RecordingHandler()
        self.controller = None

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1",
                                     port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(app, free_port):
    """Point the app at an SMTP server that is not started yet."""
    server = SmtpServer(free_port())
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=server.port,
                      SMTP_TIMEOUT_SECONDS=5)
    yield server
    server.stop()


def make_due(mail_id):
    (OutgoingMail.update(next_attempt_at=utcnow() - timedelta(seconds=1))
     .where(OutgoingMail.id == mail_id)
     .execute())


def queue_code(recipient="kgarcia@belen.k12.nm.us"):
    return queue_mail(recipient, "Your AIP sign-in code", CODE_BODY)


def assert_delivered_once(smtp, mail):
    """Run two due deliveries and check the server got the mail once."""
    make_due(mail.id)
    assert deliver_queued() == (1, 0)
    make_due(mail.id)
    assert deliver_queued() == (0, 0)
    assert len(smtp.handler.envelopes) == 1


def test_smtp_delivers_recipient_subject_and_text(app, db, smtp):
    smtp.start()
    mail = queue_code()

    assert deliver_queued() == (1, 0)

    (envelope,) = smtp.handler.envelopes
    assert envelope.rcpt_tos == ["kgarcia@belen.k12.nm.us"]
    (message,) = smtp.handler.messages()
    assert message["To"] == "kgarcia@belen.k12.nm.us"
    assert message["Subject"] == "Your AIP sign-in code"
    assert message["From"] == app.config["MAIL_FROM"]
    assert message.get_content().strip() == CODE_BODY
    row = OutgoingMail.get_by_id(mail.id)
    assert row.sent_at is not None
    assert row.attempts == 1


def test_smtp_login_when_username_set(app, db, smtp):
    logins = []

    def authenticate(server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=True)

    smtp.controller = Controller(smtp.handler, hostname="127.0.0.1",
                                 port=smtp.port, authenticator=authenticate,
                                 auth_require_tls=False)
    smtp.controller.start()
    app.config.update(SMTP_USERNAME="aip", SMTP_PASSWORD="relay-secret")
    queue_code()

    assert deliver_queued() == (1, 0)
    assert logins == [(b"aip", b"relay-secret")]


@pytest.fixture
def certificate(tmp_path):
    """Make a self-signed certificate for 127.0.0.1 with openssl."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-days", "1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True)
    return cert, key


def start_tls_server(smtp, certificate):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    smtp.controller = Controller(smtp.handler, hostname="127.0.0.1",
                                 port=smtp.port, tls_context=context,
                                 require_starttls=True)
    smtp.controller.start()


def test_starttls_with_trusted_certificate(app, db, smtp, certificate):
    start_tls_server(smtp, certificate)
    app.config.update(SMTP_STARTTLS=True, SMTP_CA_FILE=str(certificate[0]))
    queue_code()

    assert deliver_queued() == (1, 0)
    assert len(smtp.handler.envelopes) == 1


def test_starttls_rejects_unknown_certificate(app, db, smtp, certificate):
    start_tls_server(smtp, certificate)
    app.config.update(SMTP_STARTTLS=True)
    mail = queue_code()

    assert deliver_queued() == (0, 1)
    assert smtp.handler.envelopes == []
    assert "CERTIFICATE_VERIFY_FAILED" in OutgoingMail.get_by_id(
        mail.id).last_error


def test_server_down_keeps_mail_queued(app, db, smtp, caplog):
    mail = queue_code()

    with caplog.at_level(logging.WARNING, logger="aip.mail"):
        assert deliver_queued() == (0, 1)

    row = OutgoingMail.get_by_id(mail.id)
    assert row.sent_at is None
    assert row.failed == 0
    assert row.attempts == 1
    assert "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at > utcnow() + timedelta(seconds=20)
    assert f"mail {mail.id} " in caplog.text
    assert "will retry" in caplog.text
    assert "482913" not in caplog.text


def test_mail_not_retried_before_its_time(app, db, smtp):
    mail = queue_code()
    deliver_queued()
    smtp.start()

    assert deliver_queued() == (0, 0)
    assert smtp.handler.envelopes == []
    assert OutgoingMail.get_by_id(mail.id).attempts == 1


def test_recovered_server_gets_mail_once(app, db, smtp):
    mail = queue_code()
    deliver_queued()
    smtp.start()

    assert_delivered_once(smtp, mail)
    row = OutgoingMail.get_by_id(mail.id)
    assert row.attempts == 2
    assert row.last_error == ""


def test_temporary_failure_then_delivery(app, db, smtp, caplog):
    smtp.start()
    smtp.handler.reply = "451 4.3.0 Mailbox busy, try again later"
    mail = queue_code()

    with caplog.at_level(logging.WARNING, logger="aip.mail"):
        assert deliver_queued() == (0, 1)

    row = OutgoingMail.get_by_id(mail.id)
    assert row.sent_at is None
    assert row.failed == 0
    assert "451" in row.last_error
    assert row.next_attempt_at > utcnow()
    assert f"mail {mail.id} " in caplog.text

    smtp.handler.reply = None
    assert_delivered_once(smtp, mail)


def test_attempts_exhausted_marks_failed(app, db, smtp, caplog):
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    mail = queue_code()

    for attempt in range(3):
        make_due(mail.id)
        assert deliver_queued() == (0, 1)

    row = OutgoingMail.get_by_id(mail.id)
    assert row.failed == 1
    assert row.attempts == 3
    assert "giving up" in caplog.text
    smtp.start()
    make_due(mail.id)
    assert deliver_queued() == (0, 0)
    assert smtp.handler.envelopes == []


def test_permanent_rejection_fails_at_once(app, db, smtp):
    smtp.start()
    smtp.handler.reply = "554 5.7.1 Message rejected"
    mail = queue_code()

    assert deliver_queued() == (0, 1)

    row = OutgoingMail.get_by_id(mail.id)
    assert row.failed == 1
    assert row.attempts == 1


def test_claimed_mail_is_not_sent_twice(db):
    mail = queue_code()
    stale_copy = OutgoingMail.get_by_id(mail.id)

    assert claim(mail)
    assert not claim(stale_copy)


def test_send_command_delivers_to_outbox(runner, db, outbox):
    queue_code("one@belen.k12.nm.us")
    queue_code("two@belen.k12.nm.us")

    result = runner.invoke(args=["mail", "send"])

    assert result.exit_code == 0, result.output
    assert "sent 2, will retry 0, failed 0" in result.output
    assert [message["To"] for message in outbox()] == [
        "one@belen.k12.nm.us", "two@belen.k12.nm.us"]


def test_send_command_fails_when_mail_given_up(app, runner, db, smtp):
    app.config["MAIL_MAX_ATTEMPTS"] = 1
    queue_code()

    result = runner.invoke(args=["mail", "send"])

    assert result.exit_code == 1
    assert "failed 1" in result.output


def test_send_command_succeeds_while_retrying(runner, db, smtp):
    queue_code()

    result = runner.invoke(args=["mail", "send"])

    assert result.exit_code == 0
    assert "will retry 1" in result.output


def test_send_loop_stops_after_rounds(runner, db, outbox):
    queue_code()

    result = runner.invoke(args=["mail", "send", "--loop", "--interval",
                                 "0", "--rounds", "3"])

    assert result.exit_code == 0, result.output
    assert result.output.count("sent") == 3
    assert len(outbox()) == 1


def test_send_loop_survives_database_error(runner, db, outbox, monkeypatch,
                                          caplog):
    from peewee import OperationalError

    import aip.mail
    deliver = aip.mail.deliver
    calls = []

    def deliver_after_outage(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection")
        return deliver(*args, **kwargs)

    monkeypatch.setattr(aip.mail, "deliver", deliver_after_outage)
    queue_code()

    result = runner.invoke(args=["mail", "send", "--loop", "--interval",
                                 "0", "--rounds", "2"])

    assert result.exit_code == 0, result.output
    assert "mail delivery round 1 failed" in caplog.text
    assert "sent 1" in result.output
    assert len(outbox()) == 1


def test_outbox_command_prints_newest_messages(runner, db):
    queue_mail("first@belen.k12.nm.us", "First subject", "First body")
    queue_mail("second@belen.k12.nm.us", "Second subject", CODE_BODY)
    deliver_queued()

    result = runner.invoke(args=["mail", "outbox", "-n", "1"])

    assert result.exit_code == 0, result.output
    assert "To:      second@belen.k12.nm.us" in result.output
    assert "Subject: Second subject" in result.output
    assert CODE_BODY in result.output
    assert "Date:" in result.output
    assert "first@belen.k12.nm.us" not in result.output


def test_outbox_command_on_empty_outbox(runner):
    result = runner.invoke(args=["mail", "outbox"])

    assert result.exit_code == 0
    assert "is empty" in result.output


@pytest.fixture
def mail_route(app):
    """Add a view that queues a message and may roll its transaction back."""

    def queue_view(outcome):
        with database.atomic() as transaction:
            queue_mail("kgarcia@belen.k12.nm.us", "Request mail", CODE_BODY)
            if outcome == "rollback":
                transaction.rollback()
        return outcome

    app.add_url_rule("/test/mail/<outcome>", view_func=queue_view)


def test_request_delivers_its_mail(client, mail_route, outbox, db):
    response = client.get("/test/mail/commit")

    assert response.status_code == 200
    (message,) = outbox()
    assert message["Subject"] == "Request mail"
    assert OutgoingMail.get().sent_at is not None


def test_rolled_back_request_sends_nothing(client, mail_route, outbox, db):
    response = client.get("/test/mail/rollback")

    assert response.status_code == 200
    assert outbox() == []
    assert OutgoingMail.select().count() == 0


def test_request_succeeds_when_smtp_down(client, mail_route, smtp, db):
    response = client.get("/test/mail/commit")

    assert response.status_code == 200
    row = OutgoingMail.get()
    assert row.sent_at is None
    assert row.attempts == 1


def test_request_through_smtp(client, mail_route, smtp, db):
    smtp.start()

    client.get("/test/mail/commit")

    (message,) = smtp.handler.messages()
    assert message["Subject"] == "Request mail"
