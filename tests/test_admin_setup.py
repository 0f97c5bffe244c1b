"""setup: the one command that makes a database ready, with or without demo."""

from aip.db import database
from aip.models import (AttendanceFigure, GradeLevel, Organisation,
                        SchoolYear, StudentGroup, User)
from aip.reference import GRADE_LEVELS, STUDENT_GROUPS


def test_setup_builds_empty_database(empty_app):
    result = empty_app.test_cli_runner().invoke(args=["aip", "setup"])

    assert result.exit_code == 0, result.output
    assert "Applied migration 001_initial." in result.output
    with empty_app.app_context():
        database.connect()
        assert StudentGroup.select().count() == len(STUDENT_GROUPS)
        assert GradeLevel.select().count() == len(GRADE_LEVELS)
        assert SchoolYear.select().count() == 3
        assert SchoolYear.current() is not None
        assert Organisation.select().where(
            Organisation.kind == "district").count() == 89
        assert AttendanceFigure.select().count() == 0
        assert User.select().count() == 0
        database.close()
    assert "Demo sign-ins" not in result.output


def test_setup_keeps_existing_organisations(runner, orgs):
    runner.invoke(args=["aip", "migrate", "--fake"])

    result = runner.invoke(args=["aip", "setup"])

    assert result.exit_code == 0, result.output
    assert "Loaded" not in result.output
    assert Organisation.select().count() == len(orgs)


def test_setup_demo_rejected_in_production(empty_app):
    empty_app.config["ENV_NAME"] = "production"

    result = empty_app.test_cli_runner().invoke(
        args=["aip", "setup", "--demo"])

    assert result.exit_code == 1
    assert "Refusing to add demo data to a production database" \
        in result.output
    with empty_app.app_context():
        database.connect()
        assert "organisation" not in database.get_tables()
        database.close()
