"""Register New Account: validation, approvers and the htmx helpers."""

import pytest
from bs4 import BeautifulSoup

from aip.models import AuditEvent, PasswordHistory, RoleGrant, User
from aip.models.accounts import PENDING
from tests.conftest import FAST_HASH_METHOD, create_organisation

NEW_PASSWORD = "Attendance-Plan-2026"


def registration(orgs, **overrides):
    data = {
        "first_name": "Kristin",
        "last_name": "Garcia",
        "email": "kristin@belen.k12.nm.us",
        "role": "school",
        "district": str(orgs["belen"].id),
        "school": str(orgs["belen_high"].id),
        "phone": "505-555-0123",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def register(forms, data):
    return forms.post("/register", data)


def page(response):
    return BeautifulSoup(response.data, "html.parser")


def field_error(response, field_id):
    """Return the error text rendered beside field_id, or None."""
    error = page(response).find(id=f"{field_id}-error")
    return error.get_text(" ", strip=True) if error else None


def test_register_page_lists_open_leas(client, orgs):
    orgs["los_lunas"].closed_on = "2020-06-30"
    orgs["los_lunas"].save()
    response = client.get("/register")
    assert response.status_code == 200
    options = [option.get_text() for option in
               page(response).select("select#district option")]
    assert "BELEN CONSOLIDATED SCHOOLS" in options
    assert "ESTANCIA VALLEY CLASSICAL ACADEMY" in options
    assert "LOS LUNAS PUBLIC SCHOOLS" not in options
    assert "NEW MEXICO PUBLIC EDUCATION DEPARTMENT" not in options


def test_register_creates_pending_grant(client, forms, users, orgs, outbox):
    response = register(forms, registration(orgs))
    assert response.status_code == 302
    user = User.by_email("kristin@belen.k12.nm.us")
    grant = RoleGrant.get(RoleGrant.user == user)
    assert grant.status == PENDING
    assert grant.organisation_id == orgs["belen_high"].id
    assert grant.domain_verified
    assert user.password_hash.startswith(FAST_HASH_METHOD)
    assert PasswordHistory.select().where(
        PasswordHistory.user == user).count() == 1
    assert AuditEvent.get(AuditEvent.action == "registration.requested"
                          ).subject == f"grant:{grant.id}"

    done = client.get(response.headers["Location"])
    assert ("District Absence Coordinator of BELEN CONSOLIDATED SCHOOLS"
            in done.get_data(as_text=True))
    recipients = sorted(message["To"] for message in outbox())
    assert recipients == ["district@belen.k12.nm.us",
                          "kristin@belen.k12.nm.us"]


def test_register_lowercases_email(forms, users, orgs):
    register(forms, registration(orgs, email="Kristin@BELEN.k12.nm.us"))
    assert User.get_or_none(User.email == "kristin@belen.k12.nm.us")


@pytest.mark.parametrize("email, district, error, verified", [
    ("k@gmail.com", "belen", "gmail.com are not accepted", None),
    ("k@GMAIL.COM", "los_lunas", "gmail.com are not accepted", None),
    ("k@outlook.com", "los_lunas", "outlook.com are not accepted", None),
    ("k@belen.k12.nm.us", "belen", None, True),
    ("k@bhs.belen.k12.nm.us", "belen", None, True),
    ("k@notbelen.k12.nm.us", "belen", "belen.k12.nm.us only", None),
    ("k@llschools.net", "belen", "belen.k12.nm.us only", None),
    ("k@llschools.net", "los_lunas", None, False),
    ("not-an-email", "los_lunas", "Enter an email address", None),
    ("k@", "los_lunas", "Enter an email address", None),
    ("k@localhost", "los_lunas", "Enter an email address", None),
    ("k@bélen.example", "los_lunas", "Enter an email address", None),
])
def test_register_email_domain(forms, orgs, email, district, error,
                               verified):
    school = {"belen": "belen_high", "los_lunas": "los_lunas_high"}[district]
    response = register(forms, registration(
        orgs, email=email, district=str(orgs[district].id),
        school=str(orgs[school].id)))
    if error:
        assert response.status_code == 200
        assert error in field_error(response, "email")
        assert User.select().count() == 0
    else:
        assert response.status_code == 302
        assert RoleGrant.get().domain_verified is verified


@pytest.mark.parametrize("password, missing", [
    ("Short-1", "at least 12 characters"),
    ("no-upper-case-1", "an upper-case letter"),
    ("No-Digits-Here!", "a number"),
    ("NoSpecialChar12", "a special character"),
    ("x" * 129, "at most 128 characters"),
])
def test_register_password_rules(forms, orgs, password, missing):
    response = register(forms, registration(orgs, password=password,
                                            confirm=password))
    assert response.status_code == 200
    assert missing in field_error(response, "password")
    assert User.select().count() == 0


def test_register_password_rules_off(app, forms, orgs):
    app.config["PASSWORD_REQUIRE_CLASSES"] = False
    app.config["PASSWORD_MIN_LENGTH"] = 8
    response = register(forms, registration(
        orgs, password="plainwords", confirm="plainwords"))
    assert response.status_code == 302


def test_register_confirmation_must_match(forms, orgs):
    response = register(forms, registration(orgs, confirm="Other-Pass-2026"))
    assert "do not match" in field_error(response, "confirm")


def test_register_duplicate_email(forms, users, orgs):
    response = register(forms, registration(
        orgs, email="KGarcia@belen.k12.nm.us"))
    assert response.status_code == 200
    assert "already uses this email" in field_error(response, "email")
    links = [a["href"] for a in page(response).select("form a")]
    assert "/sign-in" in links
    assert "/forgot-password" in links


def test_register_school_not_in_district(forms, orgs):
    response = register(forms, registration(
        orgs, school=str(orgs["los_lunas_high"].id)))
    assert "Choose a school of BELEN" in field_error(response, "school")
    assert User.select().count() == 0


@pytest.mark.parametrize("district", ["", "999999", "abc", "1" * 40, "-1"])
def test_register_unknown_district(forms, orgs, district):
    response = register(forms, registration(orgs, district=district))
    assert response.status_code == 200
    assert "from the list" in field_error(response, "district")


def test_register_closed_district(forms, orgs):
    closed = create_organisation("district", "CLOSED DISTRICT",
                                 closed_on="2019-06-30")
    school = create_organisation("school", "CLOSED HIGH", closed)
    response = register(forms, registration(
        orgs, email="k@closed.example", district=str(closed.id),
        school=str(school.id)))
    assert "from the list" in field_error(response, "district")


@pytest.mark.parametrize("field, value", [
    ("first_name", "é" * 5000),
    ("last_name", "\u202e\u0000" * 300),
    ("phone", "1" * 500),
    ("email", "a" * 300 + "@belen.k12.nm.us"),
    ("role", "ped"),
    ("school", "😀"),
    ("first_name", "   "),
])
def test_register_odd_input_gets_message(forms, orgs, field, value):
    response = register(forms, registration(orgs, **{field: value}))
    assert response.status_code == 200
    assert field_error(response, field)
    assert User.select().count() == 0


def test_register_keeps_values_after_error(forms, orgs):
    response = register(forms, registration(orgs, phone="12"))
    form = page(response).find("form", id="register-form")
    assert form.find("input", id="first_name")["value"] == "Kristin"
    assert form.find("input", id="email")["value"] == "kristin@belen.k12.nm.us"
    assert form.find("input", id="phone")["value"] == "12"
    selected = form.select_one("select#school option[selected]")
    assert selected.get_text() == "BELEN HIGH"
    assert form.find("input", id="role-0").has_attr("checked")
    assert not form.find("input", id="password").get("value")
    assert "area code" in field_error(response, "phone")


def test_show_schools_without_javascript(forms, orgs):
    response = register(forms, registration(
        orgs, school="", show_schools="1"))
    assert response.status_code == 200
    schools = [option.get_text() for option in
               page(response).select("select#school option")]
    assert schools == ["Choose a school", "BELEN HIGH", "BELEN MIDDLE"]
    form = page(response).find("form", id="register-form")
    assert form.find("input", id="password")["value"] == NEW_PASSWORD
    assert form.find("input", id="last_name")["value"] == "Garcia"
    assert not field_error(response, "school")
    assert User.select().count() == 0


def test_school_options_follow_district(client, orgs):
    response = client.get("/register/schools",
                          query_string={"district": orgs["los_lunas"].id},
                          headers={"HX-Request": "true"})
    schools = [option.get_text() for option in
               page(response).select("#school-field select option")]
    assert schools == ["Choose a school", "LOS LUNAS HIGH"]


def test_district_search_filters_options(client, orgs):
    response = client.get("/register/districts",
                          query_string={"q": "lunas"},
                          headers={"HX-Request": "true"})
    select = page(response).find("select", id="district")
    names = [option.get_text() for option in select.find_all("option")]
    assert names == ["Choose a district or charter", "LOS LUNAS PUBLIC SCHOOLS"]


def test_district_search_keeps_chosen_district(client, orgs):
    response = client.get("/register/districts", query_string={
        "q": "lunas", "district": orgs["belen"].id})
    selected = page(response).select_one("option[selected]")
    assert selected.get_text() == "BELEN CONSOLIDATED SCHOOLS"


def test_password_check_marks_rules(forms):
    response = forms.post("/password-check", {"password": "lowercase-only"},
                          page="/register", headers={"HX-Request": "true"})
    items = page(response).select("li")
    states = {item.get_text(" ", strip=True).split(" (")[0][2:]:
              item["class"][0] for item in items}
    assert states == {
        "At least 12 characters": "met",
        "An upper-case letter": "missing",
        "A number": "missing",
        "A special character, such as ! @ # or $": "met",
    }


def test_register_page_checks_password_live(client, orgs):
    field = page(client.get("/register")).find("input", id="password")
    assert field["hx-post"] == "/password-check"
    rules = page(client.get("/register")).find(id="password-rules")
    assert rules["aria-live"] == "polite"


def test_password_check_requires_csrf(client):
    response = client.post("/password-check", data={"password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize("role, organisation, approver", [
    ("school", "los_lunas_high", "a PED Absence Coordinator"),
    ("school", "charter_school", "a PED Absence Coordinator"),
    ("district", "belen", "a PED Absence Coordinator"),
])
def test_register_sends_to_ped(client, forms, users, orgs, outbox, role,
                               organisation, approver):
    lea = orgs[organisation].lea
    response = register(forms, registration(
        orgs, email=f"k@{organisation.replace('_', '-')}.belen.k12.nm.us",
        role=role,
        district=str(lea.id), school=str(orgs[organisation].id)))
    assert response.status_code == 302
    done = client.get(response.headers["Location"])
    assert approver in done.get_data(as_text=True)
    recipients = {message["To"] for message in outbox()}
    assert "ped@ped.nm.gov" in recipients
    assert "district@belen.k12.nm.us" not in recipients


def test_register_district_role_at_charter(forms, orgs):
    response = register(forms, registration(
        orgs, email="k@evca.example", role="district",
        district=str(orgs["charter"].id), school=""))
    assert "no district coordinator" in field_error(response, "district")


def test_register_requires_csrf(client, orgs):
    response = client.post("/register", data=registration(orgs))
    assert response.status_code == 400
    assert User.select().count() == 0


def test_registered_page_needs_a_registration(client):
    response = client.get("/register/done")
    assert response.headers["Location"].endswith("/register")



def test_register_page_has_no_none_attributes(client, orgs):
    html = client.get("/register").get_data(as_text=True)
    assert '="None"' not in html
    email = page(client.get("/register")).find("input", id="email")
    assert email["autocomplete"] == "email"
    assert not email.has_attr("aria-invalid")
