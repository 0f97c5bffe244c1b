"""The home screen, announcements and the role landing page."""

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup

from aip.models import (Announcement, Plan, RoleGrant, SchoolYear,
                        UserSession, utcnow)
from aip.models.accounts import PENDING
from tests.conftest import create_user


def page(response):
    return BeautifulSoup(response.data, "html.parser")


def certified(response):
    """Return (organisation, LEA) pairs of the certified plans table."""
    rows = page(response).select("table.certified-plans tbody tr")
    return {tuple(cell.get_text() for cell in row.find_all("td")[:2])
            for row in rows}


@pytest.fixture
def plans(orgs):
    year = SchoolYear.current()
    last_year = year.previous(1)[0]

    def plan(organisation, status="approved", school_year=year):
        return Plan.create(organisation=orgs[organisation],
                           school_year=school_year, status=status,
                           approved_at=utcnow() if status == "approved"
                           else None)

    return [
        plan("belen_high"),
        plan("belen"),
        plan("belen_middle", status="submitted"),
        plan("los_lunas_high"),
        plan("charter_school"),
        plan("los_lunas", school_year=last_year),
    ]


def test_anonymous_welcome(client):
    response = client.get("/")
    assert response.status_code == 200
    links = {a.get_text(): a["href"] for a in page(response).select("main a")}
    assert links["Sign in"] == "/sign-in"
    assert links["Register New Account"] == "/register"


def test_ped_sees_all_certified_plans(client, auth, users, plans):
    auth.login(users["ped"])
    assert certified(client.get("/")) == {
        ("BELEN HIGH", "BELEN CONSOLIDATED SCHOOLS"),
        ("BELEN CONSOLIDATED SCHOOLS", "BELEN CONSOLIDATED SCHOOLS"),
        ("LOS LUNAS HIGH", "LOS LUNAS PUBLIC SCHOOLS"),
        ("ESTANCIA VALLEY CLASSICAL ACADEMY",
         "ESTANCIA VALLEY CLASSICAL ACADEMY"),
    }


def test_district_sees_own_certified_plans(client, auth, users, plans):
    auth.login(users["belen_district"])
    assert certified(client.get("/")) == {
        ("BELEN HIGH", "BELEN CONSOLIDATED SCHOOLS"),
        ("BELEN CONSOLIDATED SCHOOLS", "BELEN CONSOLIDATED SCHOOLS"),
    }


def test_school_sees_own_plan_and_link(client, auth, users, plans):
    auth.login(users["belen_high"])
    response = client.get("/")
    assert certified(response) == {
        ("BELEN HIGH", "BELEN CONSOLIDATED SCHOOLS")}
    assert page(response).select_one("main a[href='/plans/current']")


def test_certified_plans_empty_state(client, auth, users):
    auth.login(users["belen_middle"])
    response = client.get("/")
    assert certified(response) == set()
    assert "No plans have been certified" in response.get_data(as_text=True)
    assert page(response).select_one("main a[href='/plans/current']")


def test_announcements_current_newest_first(client, auth, users):
    today = date.today()
    Announcement.create(title="Older", body="First.",
                        posted_at=utcnow() - timedelta(days=2))
    Announcement.create(title="Newer", body="Second.",
                        expires_on=today + timedelta(days=3))
    Announcement.create(title="Gone", body="Expired.",
                        expires_on=today - timedelta(days=3))
    auth.login(users["belen_high"])
    titles = [h3.get_text() for h3 in
              page(client.get("/")).select("article.announcement h3")]
    assert titles == ["Newer", "Older"]


def test_only_ped_sees_announcement_form(client, auth, users):
    auth.login(users["belen_district"])
    assert not page(client.get("/")).find("form", action="/announcements")


def test_ped_posts_announcement(client, forms, auth, users):
    auth.login(users["ped"])
    assert page(client.get("/")).find("form", action="/announcements")
    response = forms.post("/announcements", {
        "title": "Plans due Oct 15", "body": "Submit your plan in AIP.",
        "expires_on": (date.today() + timedelta(days=30)).isoformat()},
        page="/", follow_redirects=True)
    assert "Announcement posted." in response.get_data(as_text=True)
    announcement = Announcement.get()
    assert announcement.posted_by_id == users["ped"].id
    titles = [h3.get_text() for h3 in
              page(response).select("article.announcement h3")]
    assert titles == ["Plans due Oct 15"]


@pytest.mark.parametrize("data, field, message", [
    ({"title": "", "body": "Text."}, "title", "Enter a title."),
    ({"title": "T", "body": "  "}, "body", "Enter the announcement text."),
    ({"title": "T" * 201, "body": "Text."}, "title", "200"),
    ({"title": "T", "body": "Text.", "expires_on": "2001-01-01"},
     "expires_on", "today or a later date"),
    ({"title": "T", "body": "Text.", "expires_on": "soon"},
     "expires_on", "date"),
])
def test_announcement_validation(forms, auth, users, data, field, message):
    auth.login(users["ped"])
    response = forms.post("/announcements", data, page="/")
    assert response.status_code == 200
    error = page(response).find(id=f"{field}-error")
    assert message in error.get_text()
    assert Announcement.select().count() == 0


def test_announcement_post_needs_ped(forms, auth, users):
    auth.login(users["belen_district"])
    response = forms.post("/announcements", {"title": "T", "body": "B"},
                          page="/")
    assert response.status_code == 403


@pytest.fixture
def two_roles(users, orgs):
    """Kristin Garcia, Belen High coordinator, also Belen's district one."""
    user = users["belen_high"]
    RoleGrant.create(user=user, role="district", organisation=orgs["belen"],
                     status="active")
    return user


def test_landing_lists_active_roles(client, auth, two_roles, orgs):
    RoleGrant.create(user=two_roles, role="school",
                     organisation=orgs["belen_middle"], status=PENDING)
    auth.login(two_roles)
    buttons = [" ".join(button.get_text().split()) for button in
               page(client.get("/roles")).select("button[name=grant]")]
    assert buttons == [
        "District Absence Coordinator · BELEN CONSOLIDATED SCHOOLS",
        "School Absence Coordinator · BELEN HIGH",
    ]


def test_choose_role_switches_scope(client, forms, auth, two_roles):
    auth.login(two_roles, role="school")
    assert client.get("/inbox/").status_code == 403
    district = RoleGrant.get((RoleGrant.user == two_roles)
                             & (RoleGrant.role == "district"))
    response = forms.post("/roles", {"grant": district.id})
    assert response.headers["Location"] == "/"
    assert client.get("/inbox/").status_code == 200
    header = page(client.get("/")).header.get_text()
    assert "District Absence Coordinator · BELEN CONSOLIDATED" in header


def test_choose_role_follows_next(forms, auth, two_roles):
    auth.login(two_roles)
    district = RoleGrant.get((RoleGrant.user == two_roles)
                             & (RoleGrant.role == "district"))
    response = forms.post("/roles?next=/inbox/",
                          {"grant": district.id, "next": "/inbox/"})
    assert response.headers["Location"] == "/inbox/"


def test_choose_other_users_role_not_found(forms, auth, users, two_roles):
    auth.login(two_roles)
    other = RoleGrant.get(RoleGrant.user == users["ped"])
    assert forms.post("/roles", {"grant": other.id}).status_code == 404


def test_choose_pending_role_not_found(forms, auth, orgs, two_roles):
    pending = RoleGrant.create(user=two_roles, role="school",
                               organisation=orgs["belen_middle"],
                               status=PENDING)
    auth.login(two_roles)
    assert forms.post("/roles", {"grant": pending.id}).status_code == 404
    assert forms.post("/roles", {"grant": "x"}).status_code == 404


def test_home_without_role_goes_to_landing(client, auth, two_roles):
    auth.login(two_roles)
    UserSession.update(grant=None).execute()
    assert client.get("/").headers["Location"] == "/roles"


def test_user_without_active_role(client, auth, orgs):
    user = create_user("gone@belen.k12.nm.us", orgs["belen_high"], "school",
                       status="revoked")
    auth.login(user)
    response = client.get("/roles")
    assert "You have no active role" in response.get_data(as_text=True)
