"""The plan editor's tabs: pages, fragments, rows and who may see them."""

import pytest

from aip.models import (ActionStep, Plan, RootCause, Strategy, TeamMember)
from tests.plan_support import TABS, Editor, create_plan, soup


def test_current_creates_plan_and_opens_first_tab(client, auth, users):
    auth.login(users["belen_high"])

    response = client.get("/plans/current")
    plan = Plan.get()
    followed = client.get(response.headers["Location"])

    assert plan.organisation.name == "BELEN HIGH"
    assert followed.status_code == 302
    assert followed.headers["Location"].endswith(f"/plans/{plan.id}/contact")
    assert client.get("/plans/current").headers["Location"] == \
        response.headers["Location"]
    assert Plan.select().count() == 1


@pytest.mark.parametrize("tab", TABS)
def test_tab_renders_as_page(editor, tab):
    response = editor.tab(tab)

    page = soup(response)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    active = page.select_one(".tabs a[aria-current=page]")
    assert active["href"].endswith(f"/{tab}")
    assert len(page.select(".tabs li")) == 7
    header = page.select_one(".plan-header").get_text(" ", strip=True)
    assert "BELEN HIGH" in header
    assert "BELEN CONSOLIDATED SCHOOLS" in header
    assert "2026-27" in header
    assert page.select_one(".plan-header .badge").get_text() == "Draft"


@pytest.mark.parametrize("tab", TABS)
def test_tab_renders_as_fragment(editor, tab):
    response = editor.tab(tab, htmx=True)

    page = soup(response)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    assert page.find("html") is None
    assert page.select_one(".tabs") is None


@pytest.mark.parametrize("tab, steps", [
    ("contact", ["Step 1"]), ("root-causes", ["Step 2"]),
    ("tiers", ["Step 3", "Step 4"]), ("progress", ["Step 4", "Step 5"]),
    ("targets", []),
])
def test_guide_steps_beside_tab(editor, tab, steps):
    page = soup(editor.tab(tab))

    headings = [h.get_text() for h in page.select("aside.guide h3")]
    assert [h.split(":")[0] for h in headings] == steps


def test_targets_show_history_and_synthetic_label(editor):
    page = soup(editor.tab("targets"))

    row = page.select_one("#target-group-ALL")
    cells = [td.get_text(strip=True) for td in row.select("td")]
    assert cells[0] == "640"
    assert cells[1:3] == ["31.0%", "28.5%"]
    assert page.select_one("#target-group-ALL-target_rate")["value"] == ""
    assert page.select_one(".synthetic") is not None
    grades = [th.get_text() for th in page.select("#grade-targets tbody th")]
    assert grades == ["Grade 9", "Grade 10", "Grade 11", "Grade 12"]


def test_tiers_come_from_registry(editor, app):
    page = soup(editor.tab("tiers"))

    tiers = app.extensions["aip_registry"].tiers
    sections = page.select("section.tier")
    assert len(sections) == len(tiers)
    for section, tier in zip(sections, tiers):
        assert tier.bounds in section.get_text()
        assert tier.name in section.h3.get_text()
    assert "at least one Tier 1" in sections[0].get_text()


def test_print_tab_offers_full_and_custom_report(editor):
    page = soup(editor.tab("print-plan"))

    links = [a["href"] for a in page.select("a.button")]
    plan_id = editor.plan.id
    assert f"/plans/{plan_id}/plan.pdf" in links[0]
    assert f"/plans/{plan_id}/print" in links[1]
    form = page.select_one("#custom-report")
    assert form["method"] == "get"
    assert form["action"].endswith(f"/plans/{plan_id}/plan.pdf")
    sections = [i["value"] for i in form.select("input[name=sections]")]
    assert sections == ["contact", "targets", "root_causes", "tiers",
                        "progress"]


def test_progress_tab_lists_periods(editor):
    page = soup(editor.tab("progress"))

    periods = [th.get_text() for th in page.select("#periods tbody th")]
    assert periods == ["80-day", "120-day", "End of year"]
    assert "later release" in page.get_text()


@pytest.mark.parametrize("kind, model, container, parent", [
    ("member", TeamMember, "contact", None),
    ("cause", RootCause, "root-causes", None),
    ("strategy", Strategy, "tiers", 2),
])
def test_add_and_remove_row_in_place(editor, kind, model, container,
                                     parent):
    added = editor.add(kind, parent)

    row = model.get()
    fragment = soup(added)
    assert added.status_code == 200
    assert fragment.select_one(f"#{kind}-{row.id}")["data-row"] is not None
    assert fragment.find("html") is None

    removed = editor.remove(kind, row.id)

    assert removed.status_code == 200
    assert removed.get_data(as_text=True) == ""
    assert model.select().count() == 0


def test_add_action_step_to_strategy(editor, plan):
    strategy = Strategy.create(plan=plan, tier=1, name="Greeters")

    added = editor.add("step", strategy.id)

    step = ActionStep.get()
    assert step.strategy_id == strategy.id
    assert soup(added).select_one(f"#step-{step.id}") is not None
    page = soup(editor.tab("tiers"))
    assert page.select_one(f"#strategy-{strategy.id}-steps #step-{step.id}")


def test_add_strategy_rejects_unknown_tier(editor):
    assert editor.add("strategy", 9).status_code == 404
    assert Strategy.select().count() == 0


def test_rows_without_javascript(editor, plan):
    added = editor.add("member", htmx=False)
    member = TeamMember.get()

    assert added.status_code == 302
    assert added.headers["Location"].endswith(f"/contact#member-{member.id}")

    removed = editor.submit_tab("contact", {
        f"member-{member.id}-version": member.version,
        f"member-{member.id}-first_name": "Ana",
        "action": f"remove:member:{member.id}",
    })
    assert removed.status_code == 302
    assert TeamMember.select().count() == 0


def test_remove_button_falls_back_to_form_action(editor, plan):
    TeamMember.create(plan=plan, first_name="Ana")

    page = soup(editor.tab("contact"))

    button = page.select_one("#members button.danger")
    assert button["name"] == "action"
    assert button["value"].startswith("remove:member:")
    assert button.find_parent("form")["method"] == "post"
    default = page.select_one("form.tab-form button[type=submit]")
    assert default["value"] == "save"


@pytest.fixture
def other_plan(orgs):
    plan = create_plan(orgs["los_lunas_high"])
    member = TeamMember.create(plan=plan, first_name="Other")
    strategy = Strategy.create(plan=plan, tier=1, name="Other")
    step = ActionStep.create(strategy=strategy, activity="Other")
    cause = RootCause.create(plan=plan, finding="Other")
    return plan, {"member": member, "strategy": strategy, "step": step,
                  "cause": cause}


def test_other_school_gets_404_everywhere(editor, other_plan):
    plan, others = other_plan
    stranger = Editor(editor.client, plan)
    stranger.token = editor.token

    for tab in TABS:
        assert stranger.tab(tab).status_code == 404, tab
        assert stranger.tab(tab, htmx=True).status_code == 404, tab
        assert stranger.submit_tab(tab, {}).status_code == 404, tab
    assert stranger.save("member", others["member"].id, "first_name", "X",
                         1).status_code == 404
    assert stranger.add("member").status_code == 404
    assert stranger.remove("member", others["member"].id).status_code == 404
    assert TeamMember.get_by_id(others["member"].id).first_name == "Other"


@pytest.mark.parametrize("kind, field", [
    ("member", "first_name"), ("cause", "finding"),
    ("strategy", "name"), ("step", "activity"),
])
def test_row_of_other_plan_gets_404(editor, other_plan, kind, field):
    _, others = other_plan
    row = others[kind]

    saved = editor.save(kind, row.id, field, "Mine now", row.version,
                        force=True)
    removed = editor.remove(kind, row.id)

    assert saved.status_code == 404
    assert removed.status_code == 404
    assert type(row).get_by_id(row.id).version == row.version


def test_step_added_under_other_plans_strategy_gets_404(editor,
                                                        other_plan):
    _, others = other_plan

    assert editor.add("step", others["strategy"].id).status_code == 404


def test_district_reads_school_plan_without_editing(client, auth, users,
                                                    plan):
    auth.login(users["belen_district"])
    district = Editor(client, plan)

    page = soup(district.tab("contact"))

    assert "view this plan but not edit" in page.get_text()
    assert page.select("button[name=action]") == []
    assert district.add("member").status_code == 404


def test_district_of_other_schools_gets_404(client, auth, users, orgs):
    plan = create_plan(orgs["los_lunas_high"])
    auth.login(users["belen_district"])

    assert client.get(f"/plans/{plan.id}/contact").status_code == 404


def test_ped_cannot_open_editor(client, auth, users, plan):
    auth.login(users["ped"])

    assert client.get(f"/plans/{plan.id}/contact").status_code == 403
    assert client.get("/plans/current").status_code == 403
