"""Create a filled plan and a signed-in session in the app's database.

Run after `flask aip setup --demo`, against the same instance folder:

    python -m bench.typical_plan --strategies 3 --steps 5

prints JSON with the plan id and the Cookie header value that
bench.page_weight and bench.pdf send.
"""

import argparse
import json
import secrets

from aip import create_app
from aip.auth import hash_token
from aip.db import database
from aip.models import Organisation, RoleGrant, User, UserSession
from aip.models.accounts import ACTIVE
from bench.fixture import signed_session
from tests.conftest import create_filled_plan

DEMO_SCHOOL_COORDINATOR = "school.coordinator@belen.k12.nm.us"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--school", default="350018000140",
                        help="NCES id of the school whose plan is filled "
                             "(default: BELEN HIGH)")
    parser.add_argument("--strategies", type=int, default=3,
                        help="strategies in each of the four tiers")
    parser.add_argument("--steps", type=int, default=5,
                        help="action steps in each strategy")
    parser.add_argument("--email", default=DEMO_SCHOOL_COORDINATOR,
                        help="the user the session signs in")
    return parser.parse_args()


def start_session(email):
    """Create a session row for the user's first active role; return token."""
    user = User.by_email(email)
    grant = (RoleGrant.select()
             .where((RoleGrant.user == user) & (RoleGrant.status == ACTIVE))
             .first())
    token = secrets.token_urlsafe(32)
    UserSession.create(token_hash=hash_token(token), user=user, grant=grant)
    return token


def main():
    args = parse_args()
    app = create_app()
    with app.app_context(), database.connection_context():
        school = Organisation.get(Organisation.nces_id == args.school)
        with database.atomic():
            plan = create_filled_plan(school, args.strategies, args.steps)
            token = start_session(args.email)
    cookie, _ = signed_session(app, token)
    name = app.config["SESSION_COOKIE_NAME"]
    print(json.dumps({"plan": plan.id, "cookie": f"{name}={cookie}"}))


if __name__ == "__main__":
    main()
