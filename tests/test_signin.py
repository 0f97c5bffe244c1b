"""Sign-in: password, emailed code, throttling, roles and sign-out."""

import logging
import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from aip.models import (AuditEvent, FailedAttempt, RoleGrant, SignInCode,
                        UserSession, utcnow)
from aip.models.accounts import PENDING, REJECTED
from tests.conftest import PASSWORD, create_user, mail_text

EMAIL = "kgarcia@belen.k12.nm.us"


def sign_in(forms, email=EMAIL, password=PASSWORD, next_path=None):
    url = "/sign-in" + (f"?next={next_path}" if next_path else "")
    data = {"email": email, "password": password}
    if next_path:
        data["next"] = next_path
    return forms.post(url, data, page="/sign-in")


def enter_code(forms, code):
    return forms.post("/sign-in/code", {"code": code})


def last_code(outbox):
    return re.search(r"sign-in code is (\d{6})",
                     mail_text(outbox()[-1])).group(1)


def wrong(code):
    return f"{(int(code) + 1) % 1000000:06d}"


def text(response):
    return " ".join(BeautifulSoup(response.data, "html.parser")
                    .get_text(" ").split())


def latest_row():
    return SignInCode.select().order_by(SignInCode.id.desc()).first()


def test_unknown_email(forms, users, outbox):
    response = sign_in(forms, email="nobody@belen.k12.nm.us")
    assert "Account not found" in text(response)
    assert outbox() == []


def test_wrong_password_sends_no_code(forms, users, outbox):
    response = sign_in(forms, password="Wrong-Password-1")
    page = BeautifulSoup(response.data, "html.parser")
    assert "Incorrect password" in page.find(id="password-error").get_text()
    assert outbox() == []
    assert SignInCode.select().count() == 0


def test_pending_registration_says_so(forms, orgs):
    create_user("wait@belen.k12.nm.us", orgs["belen_high"], "school",
                status=PENDING)
    response = sign_in(forms, email="wait@belen.k12.nm.us")
    assert "waiting for approval" in text(response)


def test_rejected_registration_gives_reason(forms, orgs):
    user = create_user("no@belen.k12.nm.us", orgs["belen_high"], "school",
                       status=REJECTED)
    (RoleGrant.update(decision_reason="Unknown to the district.")
     .where(RoleGrant.user == user).execute())
    response = sign_in(forms, email="no@belen.k12.nm.us")
    assert "rejected: Unknown to the district." in text(response)


def test_password_sends_hashed_code(app, forms, users, outbox):
    response = sign_in(forms)
    assert response.headers["Location"] == "/sign-in/code"
    code = last_code(outbox)
    row = latest_row()
    assert row.code_hash != code
    assert code not in row.code_hash
    ttl = (row.expires_at - row.created_at).total_seconds()
    assert ttl == app.config["SIGNIN_CODE_TTL_SECONDS"]
    assert "Mountain time" in mail_text(outbox()[-1])


def test_code_page_input(client, forms, users):
    sign_in(forms)
    field = BeautifulSoup(client.get("/sign-in/code").data,
                          "html.parser").find("input", id="code")
    assert field["inputmode"] == "numeric"
    assert field["autocomplete"] == "one-time-code"


def test_code_input_accepts_pasted_space(client, forms, users):
    """A code pasted as "314 662" must pass the browser's own checks."""
    sign_in(forms)
    field = BeautifulSoup(client.get("/sign-in/code").data,
                          "html.parser").find("input", id="code")
    assert re.fullmatch(field["pattern"], "314 662")
    assert int(field["maxlength"]) >= len("314 662")


def test_code_with_space_signs_in(client, forms, users, outbox):
    sign_in(forms)
    code = last_code(outbox)
    response = enter_code(forms, f"{code[:3]} {code[3:]}")
    assert response.headers["Location"] == "/"
    assert UserSession.select().count() == 1


def test_code_signs_in_single_role_home(client, forms, users, outbox):
    sign_in(forms)
    response = enter_code(forms, last_code(outbox))
    assert response.headers["Location"] == "/"
    assert UserSession.select().count() == 1
    assert AuditEvent.get(AuditEvent.action == "signin").actor_id == \
        users["belen_high"].id
    assert client.get("/sign-in/code").headers["Location"] == "/sign-in"


def test_not_signed_in_before_code(client, forms, users):
    sign_in(forms)
    response = client.get("/inbox/")
    assert response.headers["Location"].startswith("/sign-in")


def test_wrong_code(forms, users, outbox):
    sign_in(forms)
    response = enter_code(forms, wrong(last_code(outbox)))
    assert "Invalid code" in text(response)
    assert latest_row().attempts == 1
    assert UserSession.select().count() == 0


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦"])
def test_malformed_code(forms, users, code):
    sign_in(forms)
    response = enter_code(forms, code)
    assert response.status_code == 200
    assert "6-digit code" in text(response)


def test_code_attempt_limit(app, forms, users, outbox):
    app.config["SIGNIN_MAX_FAILURES_PER_ACCOUNT"] = 50
    sign_in(forms)
    code = last_code(outbox)
    for _ in range(app.config["SIGNIN_CODE_MAX_ATTEMPTS"] - 1):
        assert "Invalid code" in text(enter_code(forms, wrong(code)))
    assert "Too many attempts" in text(enter_code(forms, wrong(code)))
    response = enter_code(forms, code)
    assert "Too many attempts. Request a new code." in text(response)
    assert UserSession.select().count() == 0


def test_expired_code(forms, users, outbox):
    sign_in(forms)
    code = last_code(outbox)
    (SignInCode.update(expires_at=utcnow() - timedelta(seconds=1))
     .execute())
    response = enter_code(forms, code)
    assert "This code has expired. Request a new code." in text(response)
    assert UserSession.select().count() == 0


def test_code_single_use(client, forms, users, outbox):
    sign_in(forms)
    code = last_code(outbox)
    enter_code(forms, code)
    forms.post("/sign-out", page="/")
    with client.session_transaction() as session:
        session["pending_signin"] = {"user": users["belen_high"].id,
                                     "next": None}
    response = enter_code(forms, code)
    assert "already been used" in text(response)
    assert UserSession.select().count() == 1


def test_resend_invalidates_old_code(forms, users, outbox):
    sign_in(forms)
    old = last_code(outbox)
    (SignInCode.update(created_at=utcnow() - timedelta(seconds=31))
     .execute())
    response = forms.post("/sign-in/code/new", page="/sign-in/code",
                          follow_redirects=True)
    assert "We sent a new code" in text(response)
    new = last_code(outbox)
    assert "Invalid code" in text(enter_code(forms, old))
    assert enter_code(forms, new).headers["Location"] == "/"


def test_resend_waits_thirty_seconds(forms, users, outbox):
    sign_in(forms)
    response = forms.post("/sign-in/code/new", page="/sign-in/code",
                          follow_redirects=True)
    assert "before asking for another code" in text(response)
    assert len(outbox()) == 1


def age_codes(seconds):
    for row in SignInCode.select():
        row.created_at -= timedelta(seconds=seconds)
        row.save()


def test_resend_limit_per_window(forms, users, outbox):
    sign_in(forms)
    for _ in range(4):
        age_codes(31)
        forms.post("/sign-in/code/new", page="/sign-in/code")
    assert SignInCode.select().count() == 5
    age_codes(31)
    response = forms.post("/sign-in/code/new", page="/sign-in/code",
                          follow_redirects=True)
    assert "Too many codes requested" in text(response)
    assert SignInCode.select().count() == 5


def test_resend_needs_pending_sign_in(forms, users):
    response = forms.post("/sign-in/code/new", page="/sign-in")
    assert response.headers["Location"] == "/sign-in"


def test_account_throttle(app, forms, users, outbox):
    limit = app.config["SIGNIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        sign_in(forms, password="Wrong-Password-1")
    response = sign_in(forms)
    minutes = app.config["SIGNIN_FAILURE_WINDOW_SECONDS"] // 60
    assert (f"Too many failed attempts. Try again in {minutes} minutes."
            in text(response))
    assert outbox() == []


def test_account_throttle_ends_with_window(app, forms, users):
    for _ in range(app.config["SIGNIN_MAX_FAILURES_PER_ACCOUNT"]):
        sign_in(forms, password="Wrong-Password-1")
    (FailedAttempt.update(created_at=utcnow() - timedelta(minutes=16))
     .execute())
    assert sign_in(forms).headers["Location"] == "/sign-in/code"


def test_wrong_codes_count_for_throttle(app, forms, users, outbox):
    app.config["SIGNIN_MAX_FAILURES_PER_ACCOUNT"] = 2
    sign_in(forms)
    code = last_code(outbox)
    enter_code(forms, wrong(code))
    enter_code(forms, wrong(code))
    response = enter_code(forms, code)
    assert "Too many failed attempts" in text(response)
    assert UserSession.select().count() == 0


def test_address_throttle(app, forms, users, outbox):
    app.config["SIGNIN_MAX_FAILURES_PER_ADDRESS"] = 3
    for email in ("a@belen.k12.nm.us", "b@belen.k12.nm.us",
                  "middle@belen.k12.nm.us"):
        sign_in(forms, email=email, password="Wrong-Password-1")
    response = sign_in(forms)
    assert "Too many failed attempts" in text(response)
    assert outbox() == []


def test_address_throttle_spares_other_address(app, client, forms, users):
    app.config["SIGNIN_MAX_FAILURES_PER_ADDRESS"] = 1
    sign_in(forms, email="a@belen.k12.nm.us")
    token = forms.csrf_token("/sign-in")
    response = client.post("/sign-in", data={
        "email": EMAIL, "password": PASSWORD, "csrf_token": token},
        environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert response.headers["Location"] == "/sign-in/code"


@pytest.mark.parametrize("next_path, expected", [
    ("/inbox/", "/inbox/"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
])
def test_next_only_same_site(forms, users, outbox, next_path, expected):
    sign_in(forms, email="district@belen.k12.nm.us", next_path=next_path)
    response = enter_code(forms, last_code(outbox))
    assert response.headers["Location"] == expected


def test_two_roles_go_to_landing(forms, users, orgs, outbox):
    RoleGrant.create(user=users["belen_high"], role="district",
                     organisation=orgs["belen"], status="active")
    sign_in(forms)
    response = enter_code(forms, last_code(outbox))
    assert response.headers["Location"].startswith("/roles")


def test_sign_out_revokes_session(client, forms, users, outbox):
    sign_in(forms)
    enter_code(forms, last_code(outbox))
    with client.session_transaction() as session:
        token = session["_user_id"]
    response = forms.post("/sign-out", page="/")
    assert response.headers["Location"] == "/sign-in"
    assert UserSession.get().revoked_at is not None
    with client.session_transaction() as session:
        session["_user_id"] = token
    response = client.get("/inbox/")
    assert response.headers["Location"].startswith("/sign-in")
    assert "Sign in" in text(client.get("/"))


def test_sign_out_needs_post(client, auth, users):
    auth.login(users["belen_high"])
    assert client.get("/sign-out").status_code == 405


def test_secrets_stay_out_of_logs(forms, users, outbox, caplog):
    # Peewee's DEBUG log prints query parameters, mail bodies included,
    # so this checks the INFO level that servers run at.
    caplog.set_level(logging.INFO)
    sign_in(forms, password="Wrong-Password-1")
    sign_in(forms)
    code = last_code(outbox)
    enter_code(forms, wrong(code))
    enter_code(forms, code)
    assert "Wrong-Password-1" not in caplog.text
    assert PASSWORD not in caplog.text
    assert code not in caplog.text
    assert "outbox file" in caplog.text


def test_role_revoked_before_code(forms, users, outbox):
    sign_in(forms)
    (RoleGrant.update(status="revoked")
     .where(RoleGrant.user == users["belen_high"]).execute())
    response = enter_code(forms, last_code(outbox))
    assert "no active role" in text(response)
    assert UserSession.select().count() == 0
