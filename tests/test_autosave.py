"""Autosave: one field per request, versions, conflicts and validation."""

from datetime import date
from decimal import Decimal

import pytest

from aip.models import (ActionStep, Plan, PlanContact, RootCause, Strategy,
                        Target, TeamMember)
from tests.plan_support import Editor, soup


@pytest.fixture
def second(app, users, plan):
    """A second browser of the same coordinator, for conflicts."""
    from tests.conftest import AuthActions

    client = app.test_client()
    AuthActions(client).login(users["belen_high"])
    return Editor(client, plan)


@pytest.fixture
def contact(editor, plan):
    editor.tab("contact")
    return PlanContact.get(PlanContact.plan == plan)


def test_contact_field_saves_and_reads_back(editor, contact):
    response = editor.save("contact", contact.id, "first_name", "Kristin",
                           contact.version)

    fragment = soup(response)
    assert response.status_code == 200
    assert response.headers["AIP-Autosave"] == "1"
    assert fragment.select_one(".save-status").get_text().startswith(
        "Saved ")
    version = fragment.select_one(f"#contact-{contact.id}-version")
    assert version["hx-swap-oob"] == "true"
    assert int(version["value"]) == contact.version + 1
    page = soup(editor.tab("contact"))
    field = page.select_one(f"#contact-{contact.id}-first_name")
    assert field["value"] == "Kristin"


def test_autosave_reply_under_one_kilobyte(editor, contact):
    response = editor.save("contact", contact.id, "email",
                           "garcia@belen.k12.nm.us", contact.version)

    assert response.status_code == 200
    assert len(response.get_data()) < 1024


def test_save_bumps_plan_updated_at(editor, contact, plan):
    before = Plan.get_by_id(plan.id).updated_at

    editor.save("contact", contact.id, "title", "Counselor", 1)

    assert Plan.get_by_id(plan.id).updated_at > before


@pytest.mark.parametrize("kind, field, value, stored", [
    ("member", "email", "ana@belen.k12.nm.us", "ana@belen.k12.nm.us"),
    ("cause", "finding", "Buses miss the mesa", "Buses miss the mesa"),
    ("cause", "category", "other", "other"),
    ("cause", "evidence_surveys", "y", True),
    ("strategy", "measure", "Daily attendance", "Daily attendance"),
    ("strategy", "collection_frequency", "Every 40 days", "Every 40 days"),
    ("step", "due_on", "2026-10-15", date(2026, 10, 15)),
    ("step", "responsible", "Counselor: Maria", "Counselor: Maria"),
])
def test_row_field_saves_and_reads_back(editor, plan, kind, field, value,
                                        stored):
    strategy = Strategy.create(plan=plan, tier=1)
    rows = {
        "member": TeamMember.create(plan=plan),
        "cause": RootCause.create(plan=plan),
        "strategy": strategy,
        "step": ActionStep.create(strategy=strategy),
    }
    row = rows[kind]

    response = editor.save(kind, row.id, field, value, row.version)

    assert response.status_code == 200
    assert getattr(type(row).get_by_id(row.id), field) == stored
    tab = {"member": "contact", "cause": "root-causes"}.get(kind, "tiers")
    element = soup(editor.tab(tab)).select_one(f"#{kind}-{row.id}-{field}")
    if element.name == "select":
        assert element.select_one("option[selected]")["value"] == value
    elif element.get("type") == "checkbox":
        assert element.has_attr("checked")
    elif element.name == "textarea":
        assert element.get_text() == value
    else:
        assert element["value"] == value


def test_unticked_checkbox_saves_false(editor, plan):
    cause = RootCause.create(plan=plan, evidence_data=True)

    response = editor.save("cause", cause.id, "evidence_data", None,
                           cause.version)

    assert response.status_code == 200
    assert RootCause.get_by_id(cause.id).evidence_data is False


def test_target_created_lazily_with_change(editor, plan):
    assert Target.select().count() == 0

    response = editor.save("target", "group-ALL", "target_rate", "24",
                           0)

    target = Target.get()
    assert response.status_code == 200
    assert target.target_rate == Decimal("24.0")
    change = soup(response).select_one("#target-group-ALL-change")
    assert change.get_text() == "−4.5 pts"
    assert change["hx-swap-oob"] == "true"
    page = soup(editor.tab("targets"))
    assert page.select_one("#target-group-ALL-target_rate")["value"] == \
        "24.0"
    assert page.select_one("#target-group-ALL-change").get_text() == \
        "−4.5 pts"


def test_empty_target_clears_it(editor, plan):
    editor.save("target", "grade-09", "target_rate", "20.5", 0)

    response = editor.save("target", "grade-09", "target_rate", "", 1)

    assert response.status_code == 200
    assert Target.get().target_rate is None


@pytest.mark.parametrize("typed", ["150", "-1", "abc", "12.345"])
def test_invalid_target_rejected_beside_field(editor, plan, typed):
    editor.save("target", "group-ALL", "target_rate", "20", 0)

    response = editor.save("target", "group-ALL", "target_rate", typed, 1)

    assert response.status_code == 422
    message = soup(response).select_one(".error-message").get_text()
    assert typed in message
    assert "0 to 100" in message
    assert Target.get().target_rate == Decimal("20.0")


def test_unknown_target_key_gets_404(editor):
    response = editor.save("target", "group-NOPE", "target_rate", "5", 0)

    assert response.status_code == 404


def test_invalid_due_date_rejected(editor, plan):
    step = ActionStep.create(strategy=Strategy.create(plan=plan, tier=1))

    response = editor.save("step", step.id, "due_on", "2026-02-30",
                           step.version)

    assert response.status_code == 422
    assert "not a valid date" in soup(response).get_text()
    assert ActionStep.get_by_id(step.id).due_on is None


def test_invalid_email_rejected(editor, contact):
    response = editor.save("contact", contact.id, "email", "kristin",
                           contact.version)

    assert response.status_code == 422
    assert PlanContact.get_by_id(contact.id).email == ""


def test_unknown_field_gets_404(editor, contact):
    response = editor.save("contact", contact.id, "plan_id", "2",
                           contact.version)

    assert response.status_code == 404


def test_same_field_conflict_shows_both_values(editor, second, contact):
    read_version = contact.version
    editor.save("contact", contact.id, "first_name", "Amanda",
                read_version)

    response = second.save("contact", contact.id, "first_name", "Kristin",
                           read_version)

    assert response.status_code == 409
    conflict = soup(response).select_one(".conflict")
    quoted = [q.get_text() for q in conflict.select("q")]
    assert quoted == ["Amanda", "Kristin"]
    keep = conflict.find("button", string="Keep mine")
    assert keep["hx-post"].endswith(
        f"/rows/contact/{contact.id}/first_name")
    assert '"force": "1"' in keep["hx-vals"]
    theirs = conflict.find("button", string="Use theirs")
    assert theirs["data-use-theirs"] == f"contact-{contact.id}-first_name"
    assert theirs["value"] == "Amanda"
    assert PlanContact.get_by_id(contact.id).first_name == "Amanda"


def test_other_field_merges(editor, second, contact):
    read_version = contact.version
    editor.save("contact", contact.id, "first_name", "Amanda",
                read_version)

    response = second.save("contact", contact.id, "last_name", "Whitmore",
                           read_version)

    saved = PlanContact.get_by_id(contact.id)
    assert response.status_code == 200
    assert saved.first_name == "Amanda"
    assert saved.last_name == "Whitmore"


def test_keep_mine_forces_save(editor, second, contact):
    read_version = contact.version
    editor.save("contact", contact.id, "first_name", "Amanda",
                read_version)

    response = second.save("contact", contact.id, "first_name", "Kristin",
                           read_version, force=True)

    assert response.status_code == 200
    assert PlanContact.get_by_id(contact.id).first_name == "Kristin"


def test_use_theirs_saves_without_conflict(editor, second, contact):
    read_version = contact.version
    editor.save("contact", contact.id, "first_name", "Amanda",
                read_version)

    response = second.save("contact", contact.id, "first_name", "Amanda",
                           read_version)

    assert response.status_code == 200


def test_save_without_csrf_token_is_rejected(editor, contact):
    response = editor.client.post(
        editor.url("rows", "contact", contact.id, "first_name"),
        data={f"contact-{contact.id}-first_name": "X",
              f"contact-{contact.id}-version": "1"})

    assert response.status_code == 400
    assert PlanContact.get_by_id(contact.id).first_name == ""


def test_signed_out_save_gets_no_autosave_header(editor, contact, auth):
    auth.logout()

    response = editor.save("contact", contact.id, "first_name", "X", 1)

    assert response.status_code in (302, 400, 401)
    assert "AIP-Autosave" not in response.headers


def test_whole_tab_saves_without_javascript(editor, contact, plan):
    member = TeamMember.create(plan=plan)

    response = editor.submit_tab("contact", {
        f"contact-{contact.id}-version": contact.version,
        f"contact-{contact.id}-first_name": "Kristin",
        f"contact-{contact.id}-last_name": "Garcia",
        f"contact-{contact.id}-email": "kgarcia@belen.k12.nm.us",
        f"member-{member.id}-version": member.version,
        f"member-{member.id}-title": "Nurse",
        "action": "save",
    })

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/contact")
    saved = PlanContact.get_by_id(contact.id)
    assert (saved.first_name, saved.last_name) == ("Kristin", "Garcia")
    assert TeamMember.get_by_id(member.id).title == "Nurse"


def test_whole_tab_errors_keep_typed_text(editor, plan):
    response = editor.submit_tab("targets", {
        "target-group-ALL-version": "0",
        "target-group-ALL-target_rate": "150",
        "target-grade-09-version": "0",
        "target-grade-09-target_rate": "22.5",
    })

    page = soup(response)
    assert response.status_code == 422
    field = page.select_one("#target-group-ALL-target_rate")
    assert field["value"] == "150"
    assert field["aria-invalid"] == "true"
    error = page.select_one("#target-group-ALL-target_rate-error")
    assert "0 to 100" in error.get_text()
    assert page.select_one("#target-grade-09-target_rate")["value"] == \
        "22.5"
    assert page.select_one("#target-grade-09-target_rate-error") is None
    [saved] = Target.select()
    assert saved.grade.code == "09"


def test_whole_tab_conflict_shown_beside_field(editor, second, contact):
    read_version = contact.version
    editor.save("contact", contact.id, "first_name", "Amanda",
                read_version)

    response = second.submit_tab("contact", {
        f"contact-{contact.id}-version": read_version,
        f"contact-{contact.id}-first_name": "Kristin",
        f"contact-{contact.id}-title": "Principal",
    })

    page = soup(response)
    assert response.status_code == 422
    field = page.select_one(f"#contact-{contact.id}-first_name")
    assert field["value"] == "Kristin"
    status = page.select_one(f"#contact-{contact.id}-first_name-status")
    assert [q.get_text() for q in status.select("q")] == ["Amanda",
                                                          "Kristin"]
    saved = PlanContact.get_by_id(contact.id)
    assert saved.first_name == "Amanda"
    assert saved.title == "Principal"
    version = page.select_one(f"#contact-{contact.id}-version")
    assert int(version["value"]) == saved.version


def test_editable_fields_carry_autosave_attributes(editor, contact):
    page = soup(editor.tab("contact"))

    field = page.select_one(f"#contact-{contact.id}-phone")
    assert field["hx-post"].endswith(f"/rows/contact/{contact.id}/phone")
    assert "delay:800ms" in field["hx-trigger"]
    assert field["hx-target"] == f"#contact-{contact.id}-phone-status"
    assert "queue" in field["hx-sync"]
    assert f"contact-{contact.id}-version" in field["hx-params"]
    assert field.has_attr("data-autosave")
    assert page.select_one("script:not([src])") is None
    assert page.select_one("[style]") is None


def test_merge_reports_fields_changed_elsewhere(editor, second, contact):
    read_version = contact.version
    editor.save("contact", contact.id, "first_name", "Amanda",
                read_version)

    response = second.save("contact", contact.id, "last_name", "Whitmore",
                           read_version)

    fragment = soup(response)
    notice = fragment.select_one(f"#contact-{contact.id}-first_name-status")
    assert response.status_code == 200
    assert notice["hx-swap-oob"] == "true"
    assert notice.q.get_text() == "Amanda"
    button = notice.find("button", string="Use theirs")
    assert button["value"] == "Amanda"
    assert fragment.select_one(
        f"#contact-{contact.id}-last_name-status") is None


def test_whole_tab_saves_checkboxes(editor, plan):
    cause = RootCause.create(plan=plan, evidence_data=True)
    prefix = f"cause-{cause.id}"

    response = editor.submit_tab("root-causes", {
        f"{prefix}-version": cause.version,
        f"{prefix}-category": "other",
        f"{prefix}-custom_category": "Transportation",
        f"{prefix}-finding": "Buses miss the mesa",
        f"{prefix}-evidence_surveys": "y",
    })

    saved = RootCause.get_by_id(cause.id)
    assert response.status_code == 302
    assert saved.custom_category == "Transportation"
    assert saved.evidence_data is False
    assert saved.evidence_surveys is True


def test_whole_tab_rejects_unknown_category(editor, plan):
    cause = RootCause.create(plan=plan)
    prefix = f"cause-{cause.id}"

    response = editor.submit_tab("root-causes", {
        f"{prefix}-version": cause.version,
        f"{prefix}-category": "weather",
        f"{prefix}-finding": "Snow days",
    })

    page = soup(response)
    assert response.status_code == 422
    assert page.select_one(f"#{prefix}-category-error") is not None
    assert page.select_one(f"#{prefix}-finding").get_text() == "Snow days"
    assert RootCause.get_by_id(cause.id).finding == "Snow days"
