"""A benchmark database: one school, one user, a plan and a session.

Run `python -m bench.fixture` with AIP_DATABASE_URL and AIP_SECRET_KEY
set; it creates the tables and rows and prints, as JSON, the ids and the
signed session cookie and CSRF token that the load scripts send.
"""

import json
import secrets

from flask import session
from flask_wtf.csrf import generate_csrf
from werkzeug.security import generate_password_hash

from aip import create_app
from aip.auth import hash_token
from aip.db import database
from aip.models import (ALL_MODELS, Organisation, Plan, PlanContact,
                        RoleGrant, SchoolYear, TeamMember, User, UserSession)
from aip.models.accounts import ACTIVE
from aip.reference import ensure_lookup_rows, ensure_school_years

SCHOOL_START_YEAR = 2026


def create_rows():
    """Create the tables and the rows one benchmark user edits."""
    database.create_tables(ALL_MODELS)
    ensure_lookup_rows()
    ensure_school_years(SCHOOL_START_YEAR)
    district = Organisation.create(kind="district", name="BENCH DISTRICT")
    school = Organisation.create(kind="school", name="BENCH HIGH",
                                 parent=district)
    user = User.create(email=f"bench-{secrets.token_hex(4)}@bench.test",
                       first_name="Bench", last_name="User",
                       password_hash=generate_password_hash(
                           secrets.token_hex(16)))
    grant = RoleGrant.create(user=user, role="school", organisation=school,
                             status=ACTIVE, domain_verified=True)
    year = SchoolYear.select().order_by(SchoolYear.id.desc()).first()
    plan = Plan.create(organisation=school, school_year=year)
    contact = PlanContact.create(plan=plan)
    member = TeamMember.create(plan=plan)
    token = secrets.token_urlsafe(32)
    UserSession.create(token_hash=hash_token(token), user=user, grant=grant)
    return {"plan": plan.id, "contact": contact.id, "member": member.id,
            "token": token}


def signed_session(app, token):
    """Return the session cookie and CSRF token of a signed-in browser."""
    with app.test_request_context():
        session["_user_id"] = token
        session["_fresh"] = True
        csrf_token = generate_csrf()
        serializer = app.session_interface.get_signing_serializer(app)
        return serializer.dumps(dict(session)), csrf_token


def build():
    app = create_app()
    with app.app_context(), database.connection_context():
        rows = create_rows()
    cookie, csrf_token = signed_session(app, rows.pop("token"))
    return dict(rows, cookie=cookie, csrf_token=csrf_token,
                cookie_name=app.config["SESSION_COOKIE_NAME"])


if __name__ == "__main__":
    print(json.dumps(build(), indent=2))
