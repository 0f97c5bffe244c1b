"""Password rules, expiry, change with history, and reset by email."""

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from aip.accounts.recovery import reset_token
from aip.config import Config
from aip.models import PasswordHistory, User, UserSession, utcnow
from aip.passwords import hash_password, policy_errors, rules_for
from tests.conftest import PASSWORD, mail_text

NEW = "Fresh-Start-2027!"


def error_beside(response, field_id):
    page = BeautifulSoup(response.data, "html.parser")
    error = page.find(id=f"{field_id}-error")
    return error.get_text(" ", strip=True) if error else ""


def change(forms, current=PASSWORD, new=NEW, confirm=None):
    return forms.post("/password", {
        "current_password": current, "new_password": new,
        "confirm": confirm or new})


def expire(user, days=61):
    user.password_changed_at = utcnow() - timedelta(days=days)
    user.save()


def reset_link(outbox):
    return re.search(r"http://aip\.test(/reset-password/\S+)",
                     mail_text(outbox()[-1])).group(1)


# Rules

@pytest.mark.parametrize("password, failed", [
    ("Abcdefghij1!", []),
    ("Abcdefghi1!", ["at least 12 characters"]),
    ("abcdefghij1!", ["an upper-case letter"]),
    ("Abcdefghijk!", ["a number"]),
    ("Abcdefghijk1", ["a special character"]),
    ("Abcdefghij 1", []),
    ("", ["at least 12 characters", "an upper-case letter", "a number",
          "a special character"]),
])
def test_policy_defaults(app, password, failed):
    with app.app_context():
        errors = " ".join(policy_errors(password))
        for rule in failed:
            assert rule in errors
        assert len(policy_errors(password)) == len(failed)


def test_policy_classes_off(app):
    app.config["PASSWORD_REQUIRE_CLASSES"] = False
    with app.app_context():
        assert policy_errors("abcdefghijkl") == []
        assert [rule.label for rule in rules_for("")] == [
            "At least 12 characters"]


def test_policy_length_off(app):
    app.config["PASSWORD_MIN_LENGTH"] = 0
    with app.app_context():
        assert policy_errors("Ab1!") == []


def test_default_hash_is_scrypt():
    assert Config.PASSWORD_HASH_METHOD == "scrypt"


def test_hash_uses_configured_method(app, db):
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    assert hash_password("Abcdefghij1!").startswith("scrypt:")
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    assert hash_password("Abcdefghij1!").startswith("pbkdf2:sha256:1000$")


# Expiry

def test_expired_password_forces_change(client, auth, users):
    expire(users["belen_high"])
    auth.login(users["belen_high"])
    response = client.get("/")
    assert response.headers["Location"] == "/password"
    page = client.get("/password")
    assert "Your password has expired" in page.get_data(as_text=True)


def test_must_change_flag_forces_change(client, auth, users):
    users["belen_high"].must_change_password = True
    users["belen_high"].save()
    auth.login(users["belen_high"])
    assert client.get("/plans/current").headers["Location"] == "/password"


def test_expiry_off(app, client, auth, users):
    app.config["PASSWORD_MAX_AGE_DAYS"] = 0
    expire(users["belen_high"], days=400)
    auth.login(users["belen_high"])
    assert client.get("/").status_code == 200


def test_change_password_requires_sign_in(client):
    assert client.get("/password").headers["Location"].startswith("/sign-in")


# Change

def test_change_password(client, forms, auth, users):
    user = users["belen_high"]
    expire(user)
    auth.login(user)
    UserSession.create(token_hash="other-browser", user=user)
    response = change(forms)
    assert response.headers["Location"] == "/"
    user = User.get_by_id(user.id)
    assert not user.must_change_password
    assert utcnow() - user.password_changed_at < timedelta(minutes=1)
    hashes = [row.password_hash for row in PasswordHistory.select()
              .where(PasswordHistory.user == user)
              .order_by(PasswordHistory.id)]
    assert hashes == [users["belen_high"].password_hash, user.password_hash]
    other = UserSession.get(UserSession.token_hash == "other-browser")
    assert other.revoked_at is not None
    assert client.get("/").status_code == 200


def test_change_rejects_wrong_current(forms, auth, users):
    auth.login(users["belen_high"])
    response = change(forms, current="Not-The-Password-1")
    assert "Incorrect password" in error_beside(response, "current_password")


def test_change_rejects_current_password(forms, auth, users):
    auth.login(users["belen_high"])
    response = change(forms, new=PASSWORD)
    assert "different from your current" in error_beside(
        response, "new_password")


def test_change_rejects_recent_password(forms, auth, users):
    auth.login(users["belen_high"])
    passwords = [f"History-Pass-{number}!" for number in range(3)]
    current = PASSWORD
    for password in passwords:
        assert change(forms, current=current, new=password).status_code == 302
        current = password
    response = change(forms, current=current, new=PASSWORD)
    assert "last 5" in error_beside(response, "new_password")


def test_history_older_than_count_allowed(app, forms, auth, users):
    app.config["PASSWORD_HISTORY_COUNT"] = 1
    auth.login(users["belen_high"])
    change(forms, new="History-Pass-1!")
    change(forms, current="History-Pass-1!", new="History-Pass-2!")
    response = change(forms, current="History-Pass-2!", new=PASSWORD)
    assert response.status_code == 302


def test_history_off_still_rejects_current(app, forms, auth, users):
    app.config["PASSWORD_HISTORY_COUNT"] = 0
    auth.login(users["belen_high"])
    change(forms, new="History-Pass-1!")
    response = change(forms, current="History-Pass-1!", new=PASSWORD)
    assert response.status_code == 302
    response = change(forms, current=PASSWORD, new=PASSWORD)
    assert "different from your current" in error_beside(
        response, "new_password")


def test_change_applies_rules(forms, auth, users):
    auth.login(users["belen_high"])
    response = change(forms, new="short")
    assert "at least 12 characters" in error_beside(response, "new_password")


# Forgot and reset

def test_forgot_password_is_neutral(client, forms, users, outbox):
    known = forms.post("/forgot-password",
                       {"email": "kgarcia@belen.k12.nm.us"},
                       follow_redirects=True)
    unknown = forms.post("/forgot-password",
                         {"email": "nobody@belen.k12.nm.us"},
                         follow_redirects=True)
    message = "If that address has an account, we sent a link"
    assert message in known.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    assert [mail["To"] for mail in outbox()] == ["kgarcia@belen.k12.nm.us"]


def test_reset_link_get_changes_nothing(client, forms, users, outbox):
    forms.post("/forgot-password", {"email": "kgarcia@belen.k12.nm.us"})
    before = User.get_by_id(users["belen_high"].id).password_hash
    response = client.get(reset_link(outbox))
    assert response.status_code == 200
    page = BeautifulSoup(response.data, "html.parser")
    assert page.find("input", id="new_password")
    assert User.get_by_id(users["belen_high"].id).password_hash == before


def test_reset_link_works_once(client, forms, auth, users, outbox):
    auth.login(users["belen_high"])
    forms.post("/forgot-password", {"email": "kgarcia@belen.k12.nm.us"},
               page="/password")
    link = reset_link(outbox)
    response = forms.post(link, {"new_password": NEW, "confirm": NEW})
    assert response.headers["Location"] == "/sign-in"
    user = User.get_by_id(users["belen_high"].id)
    assert user.password_hash != users["belen_high"].password_hash
    assert UserSession.get().revoked_at is not None

    again = client.get(link)
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)
    refused = client.post(link, data={"new_password": "Other-Pass-2027!",
                                      "confirm": "Other-Pass-2027!"})
    assert refused.status_code == 400


def test_reset_rejects_current_password(forms, users, outbox):
    forms.post("/forgot-password", {"email": "kgarcia@belen.k12.nm.us"})
    response = forms.post(reset_link(outbox),
                          {"new_password": PASSWORD, "confirm": PASSWORD})
    assert "different from your current" in error_beside(
        response, "new_password")


def test_reset_link_expires(app, client, users):
    with app.test_request_context():
        token = reset_token(users["belen_high"])
    app.config["PASSWORD_RESET_TTL_SECONDS"] = -1
    response = client.get(f"/reset-password/{token}")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "expired" in text
    assert "/forgot-password" in text


@pytest.mark.parametrize("token", ["nonsense", "a.b.c", "x" * 3000])
def test_reset_link_tampered(client, users, token):
    response = client.get(f"/reset-password/{token}")
    assert response.status_code == 400
    assert "incomplete or has been altered" in response.get_data(
        as_text=True)


def test_reset_token_with_other_key_rejected(app, client, users):
    with app.test_request_context():
        secret = app.config["SECRET_KEY"]
        app.config["SECRET_KEY"] = "another-key"
        token = reset_token(users["belen_high"])
        app.config["SECRET_KEY"] = secret
    assert client.get(f"/reset-password/{token}").status_code == 400


def test_forgot_password_throttled_per_address(forms, users, outbox):
    for _ in range(5):
        forms.post("/forgot-password", {"email": "kgarcia@belen.k12.nm.us"})
    response = forms.post("/forgot-password",
                          {"email": "kgarcia@belen.k12.nm.us"})
    assert "Too many reset requests" in error_beside(response, "email")
    assert len(outbox()) == 5


def test_reset_mail_keeps_token_out_of_logs(forms, users, outbox, caplog):
    caplog.set_level("INFO")
    forms.post("/forgot-password", {"email": "kgarcia@belen.k12.nm.us"})
    token = reset_link(outbox).rsplit("/", 1)[-1]
    assert token not in caplog.text
