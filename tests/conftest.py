"""Fixtures: an app per test on SQLite, or on PostgreSQL when
AIP_TEST_DATABASE_URL names a server. On PostgreSQL the session creates a
database with a unique name, empties it between tests and drops it at the
end, because the server is shared with other runs."""

import email
import json
import os
import secrets
import socket
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
from bs4 import BeautifulSoup
from flask import g, request_started

from aip import create_app
from aip.auth import hash_token
from aip.db import database
from aip.passwords import hash_password
from aip.models import (ALL_MODELS, Organisation, RoleGrant, User,
                        UserSession)
from aip.models.accounts import ACTIVE
from aip.reference import ensure_lookup_rows, ensure_school_years

# Fixtures of the plan editor tests: plan, editor.
pytest_plugins = ["tests.plan_support"]

PASSWORD = "Correct-Horse-42"
FAST_HASH_METHOD = "pbkdf2:sha256:1000"
CURRENT_START_YEAR = 2026


@pytest.fixture(scope="session")
def postgres_url():
    """Yield the URL of a fresh PostgreSQL database, or None for SQLite."""
    server_url = os.environ.get("AIP_TEST_DATABASE_URL")
    if not server_url:
        yield None
        return
    name = f"aip_test_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(server_url)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server_url)
    url = urlunsplit(parts._replace(path=f"/{name}"))
    yield url.replace("postgres://", "postgresql://", 1)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def app(tmp_path, postgres_url):
    database_url = postgres_url or f"sqlite:///{tmp_path / 'aip.sqlite3'}"
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-" + secrets.token_hex(8),
        # Production hashes with scrypt; a cheap method keeps tests fast.
        "PASSWORD_HASH_METHOD": FAST_HASH_METHOD,
        "DATABASE_URL": database_url,
        "OUTBOX_DIR": str(tmp_path / "outbox"),
        "SERVER_NAME": "aip.test",
    })
    with app.app_context():
        database.connect(reuse_if_open=True)
        if postgres_url:
            reset_postgres_tables()
        else:
            database.create_tables(ALL_MODELS)
        ensure_lookup_rows()
        ensure_school_years(CURRENT_START_YEAR)
        database.close()
    yield app
    if not database.is_closed():
        database.close()


def reset_postgres_tables():
    """Empty the model tables, or rebuild them if a test changed the schema.

    TRUNCATE is much faster than dropping and creating every table for
    each test; migration tests that drop tables trigger the rebuild.
    """
    expected = {model._meta.table_name for model in ALL_MODELS}
    found = set(database.get_tables())
    if found == expected:
        names = ", ".join(f'"{name}"' for name in sorted(expected))
        database.execute_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        return
    for name in found:
        database.execute_sql(f'DROP TABLE IF EXISTS "{name}" CASCADE')
    database.create_tables(ALL_MODELS)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """Hold a connection open inside the app context for direct queries."""
    with app.app_context():
        database.connect(reuse_if_open=True)
        yield database
        database.close()


def create_organisation(kind, name, parent=None, **fields):
    return Organisation.create(kind=kind, name=name, parent=parent, **fields)


@pytest.fixture
def orgs(db):
    """PED, Belen (two schools), Los Lunas (one school) and a state charter."""
    ped = create_organisation("state", "NEW MEXICO PUBLIC EDUCATION DEPARTMENT")
    belen = create_organisation("district", "BELEN CONSOLIDATED SCHOOLS",
                                nces_id="3500180", city="BELEN",
                                email_domains="belen.k12.nm.us")
    los_lunas = create_organisation("district", "LOS LUNAS PUBLIC SCHOOLS",
                                    nces_id="3501440", city="LOS LUNAS")
    charter = create_organisation("charter", "ESTANCIA VALLEY CLASSICAL ACADEMY",
                                  nces_id="3500084", city="MORIARTY")
    return {
        "ped": ped,
        "belen": belen,
        "belen_high": create_organisation(
            "school", "BELEN HIGH", belen, nces_id="350018000140",
            lowest_grade="9", highest_grade="12"),
        "belen_middle": create_organisation(
            "school", "BELEN MIDDLE", belen, nces_id="350018000141",
            lowest_grade="7", highest_grade="8"),
        "los_lunas": los_lunas,
        "los_lunas_high": create_organisation(
            "school", "LOS LUNAS HIGH", los_lunas, nces_id="350144000425",
            lowest_grade="9", highest_grade="12"),
        "charter": charter,
        "charter_school": create_organisation(
            "school", "ESTANCIA VALLEY CLASSICAL ACADEMY", charter,
            nces_id="350008400842", lowest_grade="Kindergarten",
            highest_grade="12"),
    }


def create_user(email, organisation=None, role=None, status=ACTIVE,
                password=PASSWORD, **fields):
    """Create a user, with one role grant when role is given."""
    user = User.create(
        email=email, first_name=fields.pop("first_name", "Test"),
        last_name=fields.pop("last_name", email.split("@")[0].title()),
        password_hash=hash_password(password), **fields)
    if role:
        RoleGrant.create(user=user, role=role, organisation=organisation,
                         status=status, domain_verified=True)
    return user


@pytest.fixture
def users(orgs):
    return {
        "ped": create_user("ped@ped.nm.gov", orgs["ped"], "ped"),
        "belen_district": create_user("district@belen.k12.nm.us",
                                      orgs["belen"], "district"),
        "belen_high": create_user("kgarcia@belen.k12.nm.us",
                                  orgs["belen_high"], "school",
                                  first_name="Kristin", last_name="Garcia"),
        "belen_middle": create_user("middle@belen.k12.nm.us",
                                    orgs["belen_middle"], "school"),
        "los_lunas_high": create_user("high@llschools.net",
                                      orgs["los_lunas_high"], "school"),
    }


class AuthActions:
    """Sign a test client in as a user without the emailed-code steps.

    The accounts tests drive the real sign-in; every other test uses this
    to start a session row directly and put its token in the cookie.
    """

    def __init__(self, client):
        self.client = client

    def login(self, user, role=None):
        grants = list(user.active_grants())
        grant = next((g for g in grants if role in (None, g.role)), None)
        token = secrets.token_urlsafe(32)
        UserSession.create(token_hash=hash_token(token), user=user,
                           grant=grant)
        with self.client.session_transaction() as session:
            session["_user_id"] = token
            session["_fresh"] = True
        return grant

    def logout(self):
        with self.client.session_transaction() as session:
            session.clear()


@pytest.fixture
def auth(client):
    return AuthActions(client)


def read_outbox(app):
    """Return the messages in the outbox, oldest first."""
    folder = Path(app.config["OUTBOX_DIR"])
    if not folder.exists():
        return []
    return [email.message_from_bytes(path.read_bytes())
            for path in sorted(folder.glob("*.eml"))]


@pytest.fixture
def outbox(app):
    return lambda: read_outbox(app)


def find_free_port():
    """Return a TCP port on 127.0.0.1 that nothing listens on just now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def free_port():
    """Return find_free_port, for servers the tests start on loopback."""
    return find_free_port


# Admin commands: an app whose database is empty, for migrate and setup.

@pytest.fixture
def empty_app(tmp_path, postgres_url):
    """Yield an app whose database has no tables at all."""
    from aip.db import open_database

    url = postgres_url or f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    db = open_database(url)
    db.connect()
    for table in db.get_tables():
        db.execute_sql(f'DROP TABLE "{table}" CASCADE'
                       if postgres_url else f'DROP TABLE "{table}"')
    db.close()
    app = create_app({"TESTING": True, "SECRET_KEY": "test",
                      "DATABASE_URL": url,
                      "OUTBOX_DIR": str(tmp_path / "outbox")})
    yield app
    if not database.is_closed():
        database.close()

def create_filled_plan(school, strategies_per_tier=2, steps=3,
                       synthetic=True):
    """Create a plan with every section entered and attendance figures.

    Used by the print, PDF and review tests; figures are labelled
    synthetic unless synthetic is False.
    """
    from decimal import Decimal

    from aip.models import (ActionStep, AttendanceFigure, Plan, PlanContact,
                            ProgressUpdate, RootCause, SchoolYear, Strategy,
                            StudentGroup, Target, TeamMember)
    from aip.reference import grades_offered

    year = SchoolYear.current()
    years = [year] + year.previous(2)
    plan = Plan.create(organisation=school, school_year=year)
    groups = list(StudentGroup.select()
                  .where(StudentGroup.code.in_(["ALL", "ED", "SD", "H"])))
    source = "synthetic" if synthetic else "import"
    for index, group in enumerate(groups):
        for age, past in enumerate(years):
            AttendanceFigure.create(
                organisation=school, school_year=past, group=group,
                enrollment=400 - 50 * index,
                chronic_absence_rate=Decimal(30 + index * 4 + age * 2),
                source=source)
        Target.create(plan=plan, group=group,
                      target_rate=Decimal(25 + index * 3))
    for grade in grades_offered(school):
        Target.create(plan=plan, grade=grade, target_rate=Decimal("22.5"))
    PlanContact.create(plan=plan, first_name="Kristin", last_name="Garcia",
                       title="Assistant principal",
                       email="kgarcia@belen.k12.nm.us", phone="505-555-0142")
    for position, name in enumerate(("Sarah Kim", "Luis Baca")):
        first, last = name.split()
        TeamMember.create(plan=plan, first_name=first, last_name=last,
                          title="Nurse" if position == 0 else "Counselor",
                          position=position)
    RootCause.create(plan=plan, category="barriers",
                     finding="Students lack transport in winter.",
                     evidence_data=True, evidence_surveys=True)
    for tier in (1, 2, 3, 4):
        for number in range(strategies_per_tier):
            strategy = Strategy.create(
                plan=plan, tier=tier, position=number,
                name=f"Tier {tier} strategy {number + 1}",
                description="Call families after each absence. " * 4,
                rationale="Early contact lowers chronic absence. " * 3,
                measure="Share of absences followed up within a day.",
                collection_method="Attendance office log",
                collection_frequency="Weekly")
            for step in range(steps):
                ActionStep.create(
                    strategy=strategy, position=step,
                    activity=f"Coordinate with local clinics, step {step + 1}",
                    responsible="Nurse: Sarah Kim",
                    resources="Memorandum of Understanding with Clinic X",
                    timeline="Sign MOU by September 1")
    ProgressUpdate.create(plan=plan, period="80day",
                          reflection="Home visits helped ninth graders.")
    return plan


@pytest.fixture
def filled_plan(orgs):
    return create_filled_plan(orgs["belen_high"])

class FormActions:
    """Post forms the way a browser does: with the page's CSRF token."""

    def __init__(self, client):
        self.client = client

    def csrf_token(self, page):
        """Return the token the layout puts on <body> of page."""
        response = self.client.get(page)
        body = BeautifulSoup(response.data, "html.parser").body
        return json.loads(body["hx-headers"])["X-CSRFToken"]

    def post(self, url, data=None, page=None, **kwargs):
        """Post data to url with the token read from page (default url)."""
        data = dict(data or {})
        data["csrf_token"] = self.csrf_token(page or url)
        return self.client.post(url, data=data, **kwargs)


@pytest.fixture
def forms(client):
    return FormActions(client)


def mail_text(message):
    """Return the decoded plain-text body of an outbox message."""
    charset = message.get_content_charset() or "utf-8"
    return message.get_payload(decode=True).decode(charset)


def clear_request_globals(sender, **extra):
    for name in list(g):
        g.pop(name)


@pytest.fixture(autouse=True)
def fresh_g_per_request(request):
    """Give each test request an empty g, as a served request gets.

    The db fixture keeps an app context open, and Flask's test client
    reuses an open context, so without this g (and the user Flask-Login
    caches in it) would carry over from one request to the next.
    """
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    request_started.connect(clear_request_globals, app)
    yield
    request_started.disconnect(clear_request_globals, app)
