"""Commands that add, rename, close and reopen organisations."""

import datetime

import pytest

from aip.models import Organisation


def invoke(runner, *args):
    return runner.invoke(args=["aip", *args])


def reload(org):
    return Organisation.get_by_id(org.id)


def test_add_district_creates_lea(runner, db):
    result = invoke(runner, "add-district", "CUBA INDEPENDENT SCHOOLS",
                    "3500600", "--city", "Cuba")

    district = Organisation.get(Organisation.nces_id == "3500600")
    assert result.exit_code == 0, result.output
    assert "Added CUBA INDEPENDENT SCHOOLS (district" in result.output
    assert district.kind == "district"
    assert district.city == "CUBA"
    assert district in Organisation.leas()


def test_add_district_with_charter_flag(runner, db):
    invoke(runner, "add-district", "NEW CHARTER", "3500190", "--charter")

    assert Organisation.get(Organisation.nces_id == "3500190").kind == \
        "charter"


@pytest.mark.parametrize("nces_id, message", [
    ("35001", "Invalid NCES LEA id '35001'"),
    ("4500180", "Invalid NCES LEA id '4500180'"),
    ("3500180", "NCES id 3500180 already belongs to BELEN CONSOLIDATED"),
])
def test_add_district_rejects_bad_nces_id(runner, orgs, nces_id, message):
    result = invoke(runner, "add-district", "SOMEWHERE", nces_id)

    assert result.exit_code == 1
    assert message in result.output


def test_add_school_under_district(runner, orgs):
    result = invoke(runner, "add-school", "3500180", "LA MERCED ELEMENTARY",
                    "350018000142", "--grades", "K-5")

    school = Organisation.get(Organisation.nces_id == "350018000142")
    assert result.exit_code == 0, result.output
    assert school.parent_id == orgs["belen"].id
    assert (school.lowest_grade, school.highest_grade) == ("Kindergarten",
                                                           "5")
    assert school.city == "BELEN"
    assert school in Organisation.schools_of(orgs["belen"])


def test_add_school_accepts_database_id(runner, orgs):
    result = invoke(runner, "add-school", str(orgs["los_lunas"].id),
                    "VALENCIA HIGH", "350144000500", "--grades", "09-12")

    assert result.exit_code == 0, result.output
    school = Organisation.get(Organisation.nces_id == "350144000500")
    assert school.parent_id == orgs["los_lunas"].id
    assert (school.lowest_grade, school.highest_grade) == ("9", "12")


@pytest.mark.parametrize("args, message", [
    (("3599999", "X", "359999900001", "--grades", "K-5"),
     "No organisation has NCES id or id '3599999'"),
    (("350018000140", "X", "350018000150", "--grades", "K-5"),
     "is not a district or charter"),
    (("3500180", "X", "3500180001", "--grades", "K-5"),
     "Invalid NCES school id '3500180001'"),
    (("3500180", "X", "350144000999", "--grades", "K-5"),
     "does not start with the LEA's NCES id 3500180"),
    (("3500180", "X", "350018000150", "--grades", "5-K"),
     "the lowest grade comes first"),
    (("3500180", "X", "350018000150", "--grades", "K-13"),
     "Invalid grade span 'K-13'"),
    (("3500180", "X", "350018000140", "--grades", "9-12"),
     "already belongs to BELEN HIGH"),
])
def test_add_school_rejects_invalid_input(runner, orgs, args, message):
    result = invoke(runner, "add-school", *args)

    assert result.exit_code == 1
    assert message in result.output


def test_rename_by_nces_id(runner, orgs):
    result = invoke(runner, "rename", "350018000140", "BELEN HIGH SCHOOL")

    assert result.exit_code == 0, result.output
    assert "Renamed BELEN HIGH to BELEN HIGH SCHOOL" in result.output
    assert reload(orgs["belen_high"]).name == "BELEN HIGH SCHOOL"


def test_rename_rejects_blank_name(runner, orgs):
    result = invoke(runner, "rename", "350018000140", "   ")

    assert result.exit_code == 1
    assert "Missing name" in result.output
    assert reload(orgs["belen_high"]).name == "BELEN HIGH"


def test_close_district_hides_it_and_its_schools(runner, orgs):
    result = invoke(runner, "close", "3500180", "--on", "2026-06-30")

    assert result.exit_code == 0, result.output
    assert "with 2 schools" in result.output
    assert orgs["belen"] not in Organisation.leas()
    assert list(Organisation.schools_of(orgs["belen"])) == []
    assert reload(orgs["belen_high"]).closed_on == datetime.date(2026, 6, 30)
    assert orgs["los_lunas"] in Organisation.leas()


def test_close_keeps_plans(runner, orgs):
    from aip.models import Plan, SchoolYear
    plan = Plan.create(organisation=orgs["belen_high"],
                       school_year=SchoolYear.current())

    invoke(runner, "close", "350018000140")

    assert Plan.get_by_id(plan.id).organisation_id == orgs["belen_high"].id


def test_close_twice_is_an_error(runner, orgs):
    invoke(runner, "close", "350018000140")

    result = invoke(runner, "close", "350018000140")

    assert result.exit_code == 1
    assert "already closed" in result.output


def test_close_rejects_ped(runner, orgs):
    result = invoke(runner, "close", str(orgs["ped"].id))

    assert result.exit_code == 1
    assert "PED cannot be closed" in result.output


def test_reopen_restores_district_and_schools(runner, orgs):
    invoke(runner, "close", "350018000141", "--on", "2025-06-30")
    invoke(runner, "close", "3500180", "--on", "2026-06-30")

    result = invoke(runner, "reopen", "3500180")

    assert result.exit_code == 0, result.output
    assert orgs["belen"] in Organisation.leas()
    assert reload(orgs["belen_high"]).closed_on is None
    assert reload(orgs["belen_middle"]).closed_on == datetime.date(2025, 6,
                                                                   30)


def test_reopen_school_of_closed_district_is_rejected(runner, orgs):
    invoke(runner, "close", "3500180")

    result = invoke(runner, "reopen", "350018000140")

    assert result.exit_code == 1
    assert "reopen that first" in result.output


def test_reopen_open_organisation_is_an_error(runner, orgs):
    result = invoke(runner, "reopen", "3500180")

    assert result.exit_code == 1
    assert "is not closed" in result.output


def test_set_domains_validates_and_stores(runner, orgs):
    result = invoke(runner, "set-domains", "3501440", "LLSchools.net",
                    "@lls.k12.nm.us")

    assert result.exit_code == 0, result.output
    assert reload(orgs["los_lunas"]).allowed_domains == [
        "llschools.net", "lls.k12.nm.us"]


def test_set_domains_clear(runner, orgs):
    result = invoke(runner, "set-domains", "3500180", "--clear")

    assert result.exit_code == 0, result.output
    assert reload(orgs["belen"]).allowed_domains == []


@pytest.mark.parametrize("args, message", [
    (("3500180", "not a domain"), "Invalid domain 'not a domain'"),
    (("3500180", "localhost"), "Invalid domain 'localhost'"),
    (("3500180", "gmail.com"), "gmail.com is a free-mail provider"),
    (("3500180",), "Give one or more domains"),
    (("3500180", "belen.k12.nm.us", "--clear"), "Give one or more domains"),
    (("350018000140", "belen.k12.nm.us"), "is a school"),
])
def test_set_domains_rejects_invalid_input(runner, orgs, args, message):
    result = invoke(runner, "set-domains", *args)

    assert result.exit_code == 1
    assert message in result.output
    assert reload(orgs["belen"]).allowed_domains == ["belen.k12.nm.us"]


def test_commands_have_help_on_every_option(app):
    from aip.admin import aip_cli

    for name, command in aip_cli.commands.items():
        assert command.help, name
        for param in command.params:
            if param.param_type_name == "option" and param.name != "help":
                assert param.help, f"{name} {param.name}"
