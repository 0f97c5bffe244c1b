"""Completeness check, submission, read-only plans and returned plans."""

import json
from decimal import Decimal

import pytest

from aip.mail import deliver_queued
from aip.models import (ActionStep, AuditEvent, Plan, PlanContact, Review,
                        RootCause, Strategy, StudentGroup, Submission,
                        Target, TeamMember)
from aip.models.plans import APPROVED, RETURNED
from tests.conftest import create_user
from tests.plan_support import TABS, Editor, add_figures, create_plan, soup


def complete(plan, tiers=(1, 2, 3, 4)):
    """Fill in everything a plan needs before it can be submitted."""
    PlanContact.create(plan=plan, first_name="Kristin", last_name="Garcia",
                       title="Counselor", email="kgarcia@belen.k12.nm.us")
    Target.create(plan=plan, group=StudentGroup.get(code="ALL"),
                  target_rate=Decimal("24.0"))
    RootCause.create(plan=plan, finding="Buses miss the mesa routes",
                     evidence_data=True)
    for tier in tiers:
        strategy = Strategy.create(
            plan=plan, tier=tier, name=f"Strategy {tier}",
            measure="Daily attendance rate", collection_method="SIS report",
            collection_frequency="Every 40 days")
        ActionStep.create(strategy=strategy, activity="Launch")


def missing_links(response):
    return {a.get_text(): a["href"]
            for a in soup(response).select("#missing li a")}


def test_empty_plan_lists_each_missing_item(editor, plan):
    editor.tab("contact")
    links = missing_links(editor.tab("submit"))

    contact = PlanContact.get(PlanContact.plan == plan)
    first = links["Primary contact: enter the first name."]
    assert first.endswith(f"/contact#contact-{contact.id}-first_name")
    assert links["Targets: set the “All students” target."].endswith(
        "/targets#target-group-ALL-target_rate")
    assert links["Root cause analysis: add at least one finding."] \
        .endswith("/root-causes#causes")
    tier1 = [text for text in links if text.startswith("Tier 1:")]
    assert "state law" in tier1[0]
    assert links[tier1[0]].endswith("/tiers#tier-1")
    for number in (2, 3, 4):
        assert links[f"Tier {number}: add at least one strategy."] \
            .endswith(f"/tiers#tier-{number}")


def test_missing_contact_links_to_contact_tab(editor, plan):
    links = missing_links(editor.tab("submit"))

    assert links["Primary contact: enter the email."].endswith(
        "/contact#contact")


def test_strategy_gaps_are_listed(editor, plan):
    complete(plan)
    strategy = Strategy.get(Strategy.tier == 2)
    strategy.measure = ""
    strategy.save()
    ActionStep.delete().where(ActionStep.strategy == strategy).execute()
    RootCause.update(evidence_data=False).execute()

    links = missing_links(editor.tab("submit"))

    cause = RootCause.get()
    assert any(href.endswith(f"#cause-{cause.id}-evidence")
               for href in links.values())
    assert any(href.endswith(f"#strategy-{strategy.id}-measure")
               for href in links.values())
    assert any(href.endswith(f"#strategy-{strategy.id}-steps")
               for href in links.values())
    assert len(links) == 3


def test_complete_plan_passes_check(editor, plan):
    complete(plan)

    page = soup(editor.tab("submit"))

    assert page.select_one("#missing") is None
    assert page.select_one("#complete") is not None


def test_incomplete_plan_rejected_with_list(editor, plan):
    response = editor.submit_tab("submit", {"certify": "y"})

    assert response.status_code == 422
    assert len(soup(response).select("#missing li")) >= 4
    assert Plan.get_by_id(plan.id).status == "draft"
    assert Submission.select().count() == 0


def test_certification_required(editor, plan):
    complete(plan)

    response = editor.submit_tab("submit", {})

    error = soup(response).select_one("#certify-error")
    assert response.status_code == 422
    assert "certify" in error.get_text()
    assert Plan.get_by_id(plan.id).status == "draft"


@pytest.fixture
def submitted(editor, plan, users):
    complete(plan)
    TeamMember.create(plan=plan, first_name="Ana")
    response = editor.submit_tab("submit", {"certify": "y"})
    assert response.status_code == 302
    return Plan.get_by_id(plan.id)


def test_submission_stores_snapshot(submitted, users):
    [submission] = Submission.select()

    snapshot = json.loads(submission.snapshot)
    assert submitted.status == "submitted"
    assert submitted.submitted_at is not None
    assert submission.round == 1
    assert submission.submitted_by_id == users["belen_high"].id
    assert submission.certification == "I certify this plan is complete."
    assert snapshot["contact"]["first_name"] == "Kristin"
    assert snapshot["team"][0]["first_name"] == "Ana"
    assert snapshot["targets"]["group-ALL"] == "24.0"
    assert AuditEvent.get(AuditEvent.action == "plan.submitted").subject \
        == f"plan:{submitted.id}"


def test_submission_mails_district_and_submitter(submitted, users,
                                                 outbox):
    deliver_queued()

    recipients = sorted(message["To"] for message in outbox())
    assert recipients == [users["belen_district"].email,
                          users["belen_high"].email]
    review = next(m for m in outbox()
                  if m["To"] == users["belen_district"].email)
    assert "BELEN HIGH" in review["Subject"]


def test_charter_school_plan_goes_to_ped(client, auth, orgs, users,
                                         outbox):
    school = orgs["charter_school"]
    coordinator = create_user("lead@evca.org", school, "school")
    plan = create_plan(school)
    add_figures(school)
    complete(plan)
    auth.login(coordinator)

    Editor(client, plan).submit_tab("submit", {"certify": "y"})
    deliver_queued()

    recipients = sorted(message["To"] for message in outbox())
    assert recipients == ["lead@evca.org", users["ped"].email]


def test_district_without_coordinator_goes_to_ped(client, auth, orgs,
                                                  users, outbox):
    plan = create_plan(orgs["los_lunas_high"])
    add_figures(orgs["los_lunas_high"])
    complete(plan)
    auth.login(users["los_lunas_high"])

    Editor(client, plan).submit_tab("submit", {"certify": "y"})
    deliver_queued()

    recipients = sorted(message["To"] for message in outbox())
    assert recipients == ["high@llschools.net", users["ped"].email]


@pytest.mark.parametrize("tab", TABS)
def test_submitted_plan_renders_read_only(editor, submitted, tab):
    page = soup(editor.tab(tab))

    assert page.select_one(".plan-header .badge").get_text() == "Submitted"
    if tab in ("progress", "print-plan"):
        return
    text = page.get_text()
    assert "Submitted plans can only be edited after PED/District review" \
        in text
    assert page.select("[data-autosave]") == []
    assert page.select("button[name=action]") == []
    for field in page.select("form.tab-form input:not([type=hidden]), "
                             "form.tab-form textarea, form.tab-form select"):
        assert field.has_attr("disabled"), field


def test_submitted_plan_refuses_every_write(editor, submitted):
    contact = PlanContact.get()
    member = TeamMember.get()
    strategy = Strategy.get(Strategy.tier == 1)

    replies = [
        editor.save("contact", contact.id, "first_name", "X",
                    contact.version, force=True),
        editor.save("target", "group-ALL", "target_rate", "1", 9),
        editor.add("member"),
        editor.add("step", strategy.id),
        editor.remove("member", member.id),
        editor.submit_tab("contact", {
            f"contact-{contact.id}-version": contact.version,
            f"contact-{contact.id}-first_name": "X"}),
        editor.submit_tab("submit", {"certify": "y"}),
    ]

    assert [reply.status_code for reply in replies] == [409] * 7
    assert "Submitted plans can only be edited" in \
        replies[0].get_data(as_text=True)
    assert PlanContact.get().first_name == "Kristin"
    assert TeamMember.select().count() == 1
    assert Submission.select().count() == 1


def test_returned_plan_is_editable_again(editor, submitted):
    Plan.update(status=RETURNED).where(Plan.id == submitted.id).execute()
    contact = PlanContact.get()

    response = editor.save("contact", contact.id, "first_name", "Amanda",
                           contact.version)
    resubmitted = editor.submit_tab("submit", {"certify": "y"})

    assert response.status_code == 200
    assert PlanContact.get().first_name == "Amanda"
    assert resubmitted.status_code == 302
    rounds = [s.round for s in Submission.select().order_by(
        Submission.round)]
    assert rounds == [1, 2]


def test_other_category_needs_a_name(editor, plan):
    complete(plan)
    cause = RootCause.get()
    cause.category = "other"
    cause.save()

    links = missing_links(editor.tab("submit"))

    [href] = links.values()
    assert href.endswith(f"#cause-{cause.id}-custom_category")


def decide(plan, users, decision, comments=""):
    """Record a reviewer's decision on a new submission round."""
    submission = Submission.create(
        plan=plan, round=plan.submissions.count() + 1,
        submitted_by=users["belen_high"], certification="I certify",
        snapshot="{}")
    Review.create(submission=submission, reviewer=users["belen_district"],
                  decision=decision, comments=comments)
    plan.status = decision
    plan.save()


@pytest.mark.parametrize("tab", TABS)
def test_returned_plan_shows_comments(editor, plan, users, tab):
    decide(plan, users, RETURNED, "Add a Tier 4 strategy for seniors.")

    panel = soup(editor.tab(tab)).select_one(".review-comments")

    assert panel is not None
    assert "Add a Tier 4 strategy for seniors." in panel.get_text()
    assert users["belen_district"].full_name in panel.get_text()


def test_newest_round_comments_shown(editor, plan, users):
    decide(plan, users, RETURNED, "First round comments.")
    decide(plan, users, RETURNED, "Second round comments.")

    text = soup(editor.tab("contact")).select_one(".review-comments").get_text()

    assert "Second round comments." in text
    assert "First round comments." not in text


def test_approved_plan_says_approved(editor, plan, users):
    decide(plan, users, APPROVED)

    page = soup(editor.tab("contact"))

    notice = page.select_one(".locked-notice").get_text()
    assert "approved" in notice
    assert "Submitted plans" not in notice
    assert page.select_one(".review-comments") is None
