"""The approval inbox: scope, approve, reject and deciding twice."""

import pytest
from bs4 import BeautifulSoup

from aip.models import AuditEvent, RoleGrant
from aip.models.accounts import ACTIVE, PENDING, REJECTED
from tests.conftest import create_user, mail_text


@pytest.fixture
def pending(users, orgs):
    """Pending registrations: Belen High, Los Lunas High, a district."""
    def pending_grant(email, organisation, role, verified=True):
        user = create_user(email, orgs[organisation], role, status=PENDING,
                           phone="505-555-0100")
        grant = RoleGrant.get(RoleGrant.user == user)
        grant.domain_verified = verified
        grant.save()
        return grant

    return {
        "belen_high": pending_grant("new@belen.k12.nm.us", "belen_high",
                                    "school"),
        "los_lunas_high": pending_grant("new@llschools.net",
                                        "los_lunas_high", "school",
                                        verified=False),
        "belen": pending_grant("boss@belen.k12.nm.us", "belen", "district"),
    }


@pytest.fixture
def los_lunas_district(orgs):
    return create_user("district@llschools.net", orgs["los_lunas"],
                       "district")


def listed(response):
    page = BeautifulSoup(response.data, "html.parser")
    return {article.select_one("dd").get_text()
            for article in page.select("article.registration")}


def decide(forms, grant, decision, reason="", **kwargs):
    return forms.post(f"/inbox/registrations/{grant.id}",
                      {"decision": decision, "reason": reason},
                      page="/inbox/", **kwargs)


def test_district_inbox_shows_own_schools(client, auth, users, pending):
    auth.login(users["belen_district"])
    response = client.get("/inbox/")
    assert response.status_code == 200
    assert listed(response) == {"new@belen.k12.nm.us"}


def test_ped_inbox_shows_every_registration(client, auth, users, pending):
    auth.login(users["ped"])
    assert listed(client.get("/inbox/")) == {
        "new@belen.k12.nm.us", "new@llschools.net", "boss@belen.k12.nm.us"}


def test_inbox_shows_details_and_badge(client, auth, users, pending):
    auth.login(users["ped"])
    page = BeautifulSoup(client.get("/inbox/").data, "html.parser")
    article = page.find(id=f"registration-{pending['los_lunas_high'].id}")
    text = article.get_text(" ", strip=True)
    assert "505-555-0100" in text
    assert "School Absence Coordinator" in text
    assert "LOS LUNAS HIGH" in text
    assert " AM" in text or " PM" in text
    assert article.select_one(".badge.unverified")
    verified = page.find(id=f"registration-{pending['belen_high'].id}")
    assert not verified.select_one(".badge.unverified")


def test_inbox_closed_to_school_role(client, auth, users):
    auth.login(users["belen_high"])
    assert client.get("/inbox/").status_code == 403


def test_inbox_requires_sign_in(client):
    response = client.get("/inbox/")
    assert response.headers["Location"].startswith("/sign-in")


def test_approve_activates_and_emails(forms, auth, users, pending, outbox):
    auth.login(users["belen_district"])
    response = decide(forms, pending["belen_high"], "approve")
    assert response.status_code == 302
    grant = RoleGrant.get_by_id(pending["belen_high"].id)
    assert grant.status == ACTIVE
    assert grant.decided_by_id == users["belen_district"].id
    assert grant.decided_at is not None
    message = outbox()[-1]
    assert message["To"] == "new@belen.k12.nm.us"
    assert "http://aip.test/sign-in" in mail_text(message)
    event = AuditEvent.get(AuditEvent.action == "registration.active")
    assert event.subject == f"grant:{grant.id}"
    assert event.actor_id == users["belen_district"].id


def test_reject_requires_reason(forms, auth, users, pending, outbox):
    auth.login(users["belen_district"])
    response = decide(forms, pending["belen_high"], "reject", "  ")
    assert response.status_code == 200
    page = BeautifulSoup(response.data, "html.parser")
    error = page.find(id=f"reason-{pending['belen_high'].id}-error")
    assert "Give a reason" in error.get_text()
    assert RoleGrant.get_by_id(pending["belen_high"].id).status == PENDING
    assert outbox() == []


def test_reject_with_reason(forms, auth, users, pending, outbox):
    auth.login(users["ped"])
    decide(forms, pending["belen"], "reject", "Not a Belen employee.")
    grant = RoleGrant.get_by_id(pending["belen"].id)
    assert grant.status == REJECTED
    assert grant.decision_reason == "Not a Belen employee."
    assert "Not a Belen employee." in mail_text(outbox()[-1])
    assert AuditEvent.get(AuditEvent.action == "registration.rejected")


def test_decide_outside_scope_is_not_found(forms, auth, pending,
                                           los_lunas_district):
    auth.login(los_lunas_district)
    response = decide(forms, pending["belen_high"], "approve")
    assert response.status_code == 404
    assert RoleGrant.get_by_id(pending["belen_high"].id).status == PENDING


def test_district_cannot_decide_district(forms, auth, users, pending):
    auth.login(users["belen_district"])
    assert decide(forms, pending["belen"], "approve").status_code == 404


def test_decide_twice_explains(forms, auth, users, pending):
    auth.login(users["ped"])
    decide(forms, pending["belen_high"], "approve")
    response = decide(forms, pending["belen_high"], "reject", "Late.",
                      follow_redirects=True)
    assert "already approved" in response.get_data(as_text=True)
    assert RoleGrant.get_by_id(pending["belen_high"].id).status == ACTIVE


def test_decide_with_htmx_returns_row(forms, auth, users, pending):
    auth.login(users["ped"])
    response = decide(forms, pending["belen_high"], "approve",
                      headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = BeautifulSoup(response.data, "html.parser")
    article = page.find("article")
    assert article["id"] == f"registration-{pending['belen_high'].id}"
    decided = " ".join(article.select_one(".decided").get_text().split())
    assert "was approved as School Absence Coordinator" in decided
    assert not article.find("form")


def test_decide_with_htmx_keeps_errors_in_row(forms, auth, users, pending):
    auth.login(users["ped"])
    response = decide(forms, pending["belen_high"], "reject",
                      headers={"HX-Request": "true"})
    page = BeautifulSoup(response.data, "html.parser")
    assert page.find("article").find("form")
    assert page.select_one(".error-message")


def test_decide_unknown_decision(forms, auth, users, pending):
    auth.login(users["ped"])
    response = decide(forms, pending["belen_high"], "maybe")
    assert response.status_code == 200
    assert RoleGrant.get_by_id(pending["belen_high"].id).status == PENDING


def test_decided_registration_leaves_inbox(client, forms, auth, users,
                                           pending):
    auth.login(users["belen_district"])
    decide(forms, pending["belen_high"], "approve")
    assert listed(client.get("/inbox/")) == set()
