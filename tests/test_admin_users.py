"""create-user, post-announcement and seed-demo-users."""

import datetime

import pytest
from werkzeug.security import check_password_hash

from aip.admin.demo import DEMO_PASSWORD, DEMO_USERS
from aip.passwords import policy_errors
from aip.models import Announcement, Organisation, PasswordHistory, User

STRONG = "Mesa-Verde-2026!"


def invoke(runner, *args, **kwargs):
    return runner.invoke(args=["aip", *args], **kwargs)


def test_create_user_without_password_points_to_reset(runner, orgs):
    result = invoke(runner, "create-user", "Ana.Lopez@Belen.k12.nm.us",
                    "Ana", "Lopez", "--role", "school",
                    "--organisation", "350018000140")

    user = User.by_email("ana.lopez@belen.k12.nm.us")
    grant = user.grants.get()
    assert result.exit_code == 0, result.output
    assert "Forgot password?" in result.output
    assert "password:" not in result.output.lower()
    assert (grant.role, grant.status) == ("school", "active")
    assert grant.organisation_id == orgs["belen_high"].id
    assert grant.domain_verified
    assert not PasswordHistory.select().where(
        PasswordHistory.user == user).exists()


def test_create_user_with_prompted_password(runner, orgs):
    result = invoke(runner, "create-user", "ll@llschools.net", "Lu", "Lee",
                    "--role", "district", "--organisation", "3501440",
                    "--set-password", input=f"{STRONG}\n{STRONG}\n")

    user = User.by_email("ll@llschools.net")
    assert result.exit_code == 0, result.output
    assert STRONG not in result.output
    assert check_password_hash(user.password_hash, STRONG)
    assert not user.grants.get().domain_verified
    assert PasswordHistory.select().where(
        PasswordHistory.user == user).count() == 1


def test_create_user_rejects_weak_password(runner, orgs):
    result = invoke(runner, "create-user", "weak@belen.k12.nm.us", "W", "K",
                    "--role", "district", "--organisation", "3500180",
                    "--set-password", input="short\nshort\n")

    assert result.exit_code == 1
    assert "Invalid password." in result.output
    assert "12 characters" in result.output
    assert User.by_email("weak@belen.k12.nm.us") is None


def test_create_ped_user_defaults_to_ped(runner, orgs):
    result = invoke(runner, "create-user", "new@ped.nm.gov", "N", "P",
                    "--role", "ped")

    assert result.exit_code == 0, result.output
    grant = User.by_email("new@ped.nm.gov").grants.get()
    assert grant.organisation_id == orgs["ped"].id


@pytest.mark.parametrize("args, message", [
    (("not-an-email", "A", "B", "--role", "ped"),
     "Invalid email address 'not-an-email'"),
    (("ped@ped.nm.gov", "A", "B", "--role", "ped"),
     "A user with email ped@ped.nm.gov exists"),
    (("x@belen.k12.nm.us", "A", "B", "--role", "school",
      "--organisation", "3500180"), "is not one"),
    (("x@belen.k12.nm.us", "A", "B", "--role", "district"),
     "needs --organisation"),
    (("x@belen.k12.nm.us", "A", "B", "--role", "district",
      "--organisation", "999999"), "No organisation has NCES id or id"),
])
def test_create_user_rejects_invalid_input(runner, users, args, message):
    count = User.select().count()

    result = invoke(runner, "create-user", *args)

    assert result.exit_code == 1
    assert message in result.output
    assert User.select().count() == count


def test_create_user_rejects_closed_organisation(runner, orgs):
    invoke(runner, "close", "350018000141")

    result = invoke(runner, "create-user", "m@belen.k12.nm.us", "M", "B",
                    "--role", "school", "--organisation", "350018000141")

    assert result.exit_code == 1
    assert "is closed" in result.output


def test_post_announcement(runner, db):
    result = invoke(runner, "post-announcement", "80-day reports due",
                    "Submit progress by February 6.", "--expires",
                    "2027-02-06")

    announcement = Announcement.get()
    assert result.exit_code == 0, result.output
    assert announcement.title == "80-day reports due"
    assert announcement.expires_on == datetime.date(2027, 2, 6)
    assert announcement.posted_by_id is None


@pytest.mark.parametrize("args, message", [
    (("  ", "body"), "Missing title or body"),
    (("x" * 201, "body"), "use at most 200"),
    (("Title", "Body", "--expires", "next week"), "Invalid value"),
])
def test_post_announcement_rejects_invalid_input(runner, db, args, message):
    result = invoke(runner, "post-announcement", *args)

    assert result.exit_code != 0
    assert message in result.output
    assert Announcement.select().count() == 0


def test_demo_password_meets_policy(app):
    with app.app_context():
        assert policy_errors(DEMO_PASSWORD) == []


def test_seed_demo_users_creates_accounts(runner, orgs):
    Organisation.update(email_domains="").where(
        Organisation.id == orgs["belen"].id).execute()

    result = invoke(runner, "seed-demo-users")

    assert result.exit_code == 0, result.output
    for email, *_ in DEMO_USERS:
        user = User.by_email(email)
        assert check_password_hash(user.password_hash, DEMO_PASSWORD)
        assert [grant.status for grant in user.grants] == ["active"]
        assert email in result.output
    district = User.by_email("district.coordinator@belen.k12.nm.us")
    assert district.grants.get().organisation_id == orgs["belen"].id
    assert district.grants.get().domain_verified
    assert Organisation.get_by_id(orgs["belen"].id).allowed_domains == [
        "belen.k12.nm.us"]
    assert DEMO_PASSWORD in result.output
    assert "six-digit code" in result.output
    assert "flask --app aip mail outbox" in result.output


def test_seed_demo_users_twice_creates_nothing(runner, orgs):
    invoke(runner, "seed-demo-users")

    result = invoke(runner, "seed-demo-users")

    assert result.exit_code == 0
    assert "exist already" in result.output
    assert User.select().count() == len(DEMO_USERS)


def test_seed_demo_users_rejected_in_production(app, runner, orgs):
    app.config["ENV_NAME"] = "production"

    result = invoke(runner, "seed-demo-users")

    assert result.exit_code == 1
    assert "Refusing to add demo data to a production database" \
        in result.output
    assert User.select().count() == 0
