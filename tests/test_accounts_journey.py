"""A Belen High coordinator registers, is approved and signs in."""

import re

from bs4 import BeautifulSoup

from aip.models import RoleGrant, User
from aip.models.accounts import ACTIVE, PENDING
from tests.conftest import mail_text

PASSWORD = "Belen-Eagles-2026!"


def form_data(orgs, email):
    return {
        "first_name": "Maria", "last_name": "Chavez", "email": email,
        "role": "school", "district": str(orgs["belen"].id),
        "school": str(orgs["belen_high"].id), "phone": "(505) 555-0199",
        "password": PASSWORD, "confirm": PASSWORD,
    }


def emailed_code(message):
    return re.search(r"sign-in code is (\d{6})", mail_text(message)).group(1)


def test_register_approve_and_sign_in(client, forms, auth, users, orgs,
                                      outbox):
    rejected = forms.post("/register",
                          form_data(orgs, "maria.chavez@gmail.com"))
    error = BeautifulSoup(rejected.data, "html.parser").find(id="email-error")
    assert "gmail.com" in error.get_text()

    response = forms.post("/register",
                          form_data(orgs, "mchavez@belen.k12.nm.us"))
    assert response.status_code == 302
    grant = RoleGrant.get(RoleGrant.user == User.by_email(
        "mchavez@belen.k12.nm.us"))
    assert grant.status == PENDING
    too_early = forms.post("/sign-in", {
        "email": "mchavez@belen.k12.nm.us", "password": PASSWORD})
    assert "waiting for approval" in too_early.get_data(as_text=True)

    auth.login(users["belen_district"])
    forms.post(f"/inbox/registrations/{grant.id}", {"decision": "approve"},
               page="/inbox/")
    assert RoleGrant.get_by_id(grant.id).status == ACTIVE
    approval = outbox()[-1]
    assert approval["To"] == "mchavez@belen.k12.nm.us"
    assert "Your AIP account is active" in mail_text(approval)
    assert "http://aip.test/sign-in" in mail_text(approval)
    auth.logout()

    response = forms.post("/sign-in", {
        "email": "mchavez@belen.k12.nm.us", "password": PASSWORD})
    assert response.headers["Location"] == "/sign-in/code"
    message = outbox()[-1]
    assert message["Subject"] == "Your AIP sign-in code"
    response = forms.post("/sign-in/code", {"code": emailed_code(message)})
    assert response.headers["Location"] == "/"

    home = BeautifulSoup(client.get("/").data, "html.parser")
    assert "School Absence Coordinator · BELEN HIGH" in home.header.get_text()
