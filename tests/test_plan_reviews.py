"""Plan reviews: the queue, the review page and decisions."""

import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from flask import render_template

from aip.mail import deliver_queued
from aip.models import (AuditEvent, Plan, PlanContact, Review, RoleGrant,
                        SchoolYear, Strategy, Submission, utcnow)
from aip.models.accounts import REVOKED
from aip.models.plans import APPROVED, DRAFT, RETURNED, SUBMITTED
from aip.plans.document import plan_snapshot
from aip.reports.snapshots import snapshot_changes
from aip.reviews.plan_reviews import plan_queue
from tests.conftest import create_user


def submit(plan, user, when=None):
    """Record a submission round the way the editor does."""
    number = plan.submissions.count() + 1
    when = when or utcnow()
    Submission.create(plan=plan, round=number, submitted_by=user,
                      submitted_at=when, certification="I certify.",
                      snapshot=json.dumps(plan_snapshot(plan)))
    plan.status = SUBMITTED
    plan.submitted_at = when
    plan.save()
    return plan


def new_plan(organisation):
    return Plan.create(organisation=organisation,
                       school_year=SchoolYear.current())


@pytest.fixture
def submitted(users, filled_plan):
    return submit(filled_plan, users["belen_high"])


def queue_names(grant):
    return [plan.organisation.name for plan in plan_queue(grant)]


def grant_of(user):
    return user.active_grants().get()


def test_district_queue_has_its_schools(users, orgs):
    submit(new_plan(orgs["belen_high"]), users["belen_high"])
    new_plan(orgs["belen_middle"])  # a draft
    submit(new_plan(orgs["los_lunas_high"]), users["los_lunas_high"])
    submit(new_plan(orgs["belen"]), users["belen_district"])

    assert queue_names(grant_of(users["belen_district"])) == ["BELEN HIGH"]


def test_ped_queue_has_what_no_district_reviews(users, orgs):
    submit(new_plan(orgs["belen_high"]), users["belen_high"])
    submit(new_plan(orgs["los_lunas_high"]), users["los_lunas_high"])
    submit(new_plan(orgs["belen"]), users["belen_district"])
    submit(new_plan(orgs["charter_school"]), users["ped"])

    names = queue_names(grant_of(users["ped"]))

    # Belen has an active district coordinator, Los Lunas has none.
    assert sorted(names) == ["BELEN CONSOLIDATED SCHOOLS",
                             "ESTANCIA VALLEY CLASSICAL ACADEMY",
                             "LOS LUNAS HIGH"]


def test_ped_takes_over_when_district_grant_revoked(users, orgs):
    submit(new_plan(orgs["belen_high"]), users["belen_high"])
    RoleGrant.update(status=REVOKED).where(
        RoleGrant.role == "district").execute()

    assert queue_names(grant_of(users["ped"])) == ["BELEN HIGH"]


def test_queue_rows_carry_district_and_round(users, orgs, submitted):
    submit(submitted, users["belen_high"])

    [plan] = plan_queue(grant_of(users["belen_district"]))

    assert plan.organisation.district.name == "BELEN CONSOLIDATED SCHOOLS"
    assert plan.round == 2


def test_school_coordinator_has_no_queue(users, submitted):
    assert plan_queue(grant_of(users["belen_high"])) == []


def test_queue_fragment_links_to_review(app, users, submitted):
    with app.test_request_context():
        html = render_template(
            "reviews/_plan_queue.html",
            plan_queue=plan_queue(grant_of(users["belen_district"])))

    page = BeautifulSoup(html, "html.parser")
    [row] = page.tbody.find_all("tr")
    cells = [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
    assert row.a["href"] == f"/inbox/plans/{submitted.id}"
    assert cells[0].startswith("BELEN HIGH")
    assert cells[1] == "BELEN CONSOLIDATED SCHOOLS"
    assert cells[2].endswith(("MST", "MDT"))
    assert cells[3] == "1"


def review_page(client, plan):
    response = client.get(f"/inbox/plans/{plan.id}")
    return response, BeautifulSoup(response.data, "html.parser")


def test_review_page_shows_submitted_snapshot(client, auth, users,
                                              submitted):
    Strategy.update(name="Edited after submission").execute()
    auth.login(users["belen_district"])

    response, page = review_page(client, submitted)

    assert response.status_code == 200
    tiers = page.find(id="section-tiers").get_text()
    assert "Tier 1 strategy 1" in tiers
    assert "Edited after submission" not in tiers
    assert "Kristin Garcia" in page.find(id="section-contact").get_text()
    assert page.find("form", action=f"/inbox/plans/{submitted.id}/decision")


def test_review_page_lists_changes_between_rounds(client, auth, users,
                                                  submitted):
    Plan.update(status=RETURNED).execute()
    PlanContact.update(phone="505-555-0199").execute()
    Strategy.update(name="Morning greeters").where(
        (Strategy.tier == 2) & (Strategy.position == 0)).execute()
    submit(submitted, users["belen_high"])
    auth.login(users["belen_district"])

    _, page = review_page(client, submitted)

    rows = [[cell.get_text(strip=True) for cell in row.find_all("td")]
            for row in page.find(class_="plan-changes").tbody.find_all("tr")]
    assert ["Contact", "Phone", "505-555-0142", "505-555-0199"] in rows
    assert ["Tiers of support", "Tier 2, strategy 1: Name",
            "Tier 2 strategy 1", "Morning greeters"] in rows
    assert len(rows) == 2


def test_snapshot_changes_names_targets_and_steps():
    old = {"targets": {"group-ED": "30.0"},
           "tiers": {"1": [{"name": "A", "steps": [{"activity": "x"}]}]},
           "team": []}
    new = {"targets": {"group-ED": "28.5"},
           "tiers": {"1": [{"name": "A", "steps": [{"activity": "y"}]}]},
           "team": [{"first_name": "Ana"}]}

    changes = snapshot_changes(old, new, {"group-ED": "Economically "
                                                      "disadvantaged"})

    found = [(c.section, c.label, c.old, c.new) for c in changes]
    assert found == [
        ("Targets", "Economically disadvantaged", "30.0", "28.5"),
        ("Tiers of support", "Tier 1, strategy 1, action step 1: Activity",
         "x", "y"),
        ("Team", "member 1: First name", None, "Ana"),
    ]


@pytest.mark.parametrize("reader, status", [
    ("belen_high", 403),
    ("los_lunas_district", 404),
    ("belen_district", 200),
    ("ped", 200),
])
def test_review_page_scope(client, auth, users, orgs, submitted, reader,
                           status):
    users["los_lunas_district"] = create_user(
        "district@llschools.net", orgs["los_lunas"], "district")
    auth.login(users[reader])

    response, _ = review_page(client, submitted)

    assert response.status_code == status


def decide(client, plan, decision, comments=""):
    response = client.post(f"/inbox/plans/{plan.id}/decision",
                           data={"decision": decision, "comments": comments})
    return response, BeautifulSoup(response.data, "html.parser")


@pytest.fixture
def csrf_off(app):
    app.config["WTF_CSRF_ENABLED"] = False


def test_approve_plan(app, client, auth, users, submitted, outbox,
                      csrf_off):
    create_user("second@belen.k12.nm.us", submitted.organisation, "school")
    auth.login(users["belen_district"])

    response, _ = decide(client, submitted, APPROVED)

    assert response.status_code == 302
    plan = Plan.get_by_id(submitted.id)
    assert plan.status == APPROVED
    assert plan.approved_at is not None
    review = Review.get()
    assert review.submission.round == 1
    assert review.reviewer.id == users["belen_district"].id
    event = AuditEvent.get(AuditEvent.action == "plan.approved")
    assert event.subject == f"plan:{plan.id}"
    assert f"review:{review.id}" in event.detail
    with app.test_request_context():
        deliver_queued()
    messages = outbox()
    assert sorted(m["To"] for m in messages) == [
        "kgarcia@belen.k12.nm.us", "second@belen.k12.nm.us"]
    assert messages[0]["Subject"] == "Your attendance plan was approved"


def test_return_needs_comments(client, auth, users, submitted, csrf_off):
    auth.login(users["belen_district"])

    response, page = decide(client, submitted, RETURNED, "   ")

    assert response.status_code == 400
    error = page.find(id="comments-error")
    assert "before returning the plan" in error.get_text()
    assert Plan.get_by_id(submitted.id).status == SUBMITTED
    assert Review.select().count() == 0


def test_return_plan_emails_comments(app, client, auth, users, submitted,
                                     outbox, csrf_off):
    auth.login(users["belen_district"])

    response, _ = decide(client, submitted, RETURNED,
                         "Add a Tier 3 step for ninth grade.")

    assert response.status_code == 302
    plan = Plan.get_by_id(submitted.id)
    assert plan.status == RETURNED
    assert plan.approved_at is None
    assert Review.get().comments == "Add a Tier 3 step for ninth grade."
    with app.test_request_context():
        deliver_queued()
    [message] = outbox()
    assert message["To"] == "kgarcia@belen.k12.nm.us"
    assert message["Subject"] == ("Your attendance plan was returned for "
                                  "changes")
    body = message.get_payload(decode=True).decode()
    assert "Add a Tier 3 step for ninth grade." in body
    assert "BELEN HIGH" in body


def test_second_decision_is_rejected(client, auth, users, submitted,
                                     csrf_off):
    auth.login(users["ped"])
    decide(client, submitted, RETURNED, "Fix targets.")
    Plan.update(status=SUBMITTED).execute()  # same round, forced back

    response, page = decide(client, submitted, APPROVED)

    assert response.status_code == 409
    assert "already decided" in page.find(role="alert").get_text()
    assert Review.select().count() == 1
    assert Plan.get_by_id(submitted.id).status == SUBMITTED


def test_draft_plan_cannot_be_decided(client, auth, users, filled_plan,
                                      csrf_off):
    auth.login(users["belen_district"])

    response, page = decide(client, filled_plan, APPROVED)

    assert response.status_code == 409
    assert "only a submitted plan" in page.find(role="alert").get_text()
    assert Plan.get_by_id(filled_plan.id).status == DRAFT


def test_decision_must_be_chosen(client, auth, users, submitted, csrf_off):
    auth.login(users["belen_district"])

    response, page = decide(client, submitted, "")

    assert response.status_code == 400
    assert "Choose Approve or Return" in page.find(
        id="decision-error").get_text()
    assert Plan.get_by_id(submitted.id).status == SUBMITTED


def test_ped_returns_school_plan(client, auth, users, submitted, csrf_off):
    auth.login(users["ped"])

    response, _ = decide(client, submitted, RETURNED, "Missing evidence.")

    assert response.status_code == 302
    assert Plan.get_by_id(submitted.id).status == RETURNED


def test_other_district_cannot_decide(client, auth, orgs, submitted,
                                      csrf_off):
    outsider = create_user("district@llschools.net", orgs["los_lunas"],
                           "district")
    auth.login(outsider)

    response, _ = decide(client, submitted, APPROVED)

    assert response.status_code == 404
    assert Plan.get_by_id(submitted.id).status == SUBMITTED


def test_district_cannot_decide_own_plan(client, auth, users, orgs,
                                         csrf_off):
    plan = submit(new_plan(orgs["belen"]), users["belen_district"])
    auth.login(users["belen_district"])

    response, _ = decide(client, plan, APPROVED)

    assert response.status_code == 404


def test_decision_needs_csrf_token(client, auth, users, submitted):
    auth.login(users["belen_district"])

    response, _ = decide(client, submitted, APPROVED)

    assert response.status_code == 400
    assert Plan.get_by_id(submitted.id).status == SUBMITTED


def test_decided_round_shows_no_form(client, auth, users, submitted,
                                     csrf_off):
    auth.login(users["belen_district"])
    decide(client, submitted, APPROVED)

    _, page = review_page(client, submitted)

    decision = page.find(id="decision")
    assert decision.find("form") is None
    assert "approved" in decision.get_text()


def test_queue_orders_oldest_first(users, orgs):
    now = utcnow()
    submit(new_plan(orgs["belen_middle"]), users["belen_middle"], now)
    submit(new_plan(orgs["belen_high"]), users["belen_high"],
           now - timedelta(days=1))

    assert queue_names(grant_of(users["belen_district"])) == [
        "BELEN HIGH", "BELEN MIDDLE"]
