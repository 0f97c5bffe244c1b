"""Commands that create accounts and post announcements."""

import logging
import re
import secrets

import click

from aip.admin.common import describe, find_organisation, with_database
from aip.db import database
from aip.passwords import hash_password, policy_errors
from aip.models import (Announcement, Organisation, PasswordHistory,
                        RoleGrant, User, utcnow)
from aip.models.accounts import ACTIVE, ROLE_NAMES
from aip.models.organisations import CHARTER, DISTRICT, SCHOOL, STATE

logger = logging.getLogger(__name__)

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,63}")
# The organisation kinds at which each role may be granted.
ROLE_KINDS = {"ped": (STATE,), "district": (DISTRICT, CHARTER),
              "school": (SCHOOL,)}


def set_password(user, password, remember=True):
    """Store password's hash for user and, if remember, in the history."""
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    user.save()
    if remember:
        PasswordHistory.create(user=user, password_hash=user.password_hash)


def create_account(email, first_name, last_name, role, organisation,
                   password=None):
    """Create an active user with one active role; return the user.

    Without a password the account gets a random one that is never shown,
    so its owner sets theirs through the password reset page.
    """
    user = User(email=email, first_name=first_name, last_name=last_name)
    set_password(user, password or secrets.token_urlsafe(32),
                 remember=password is not None)
    domain = email.rsplit("@", 1)[1]
    RoleGrant.create(user=user, role=role, organisation=organisation,
                     status=ACTIVE, decided_at=utcnow(),
                     domain_verified=domain in organisation.lea.allowed_domains)
    logger.info("user %s created with role %s at organisation %s",
                user.id, role, organisation.id)
    return user


def clean_email(text):
    email = text.strip().lower()
    if not EMAIL.fullmatch(email):
        raise click.ClickException(
            f"Invalid email address {text!r}: expected name@example.org.")
    if User.by_email(email) is not None:
        raise click.ClickException(f"A user with email {email} exists.")
    return email


def role_organisation(role, value):
    """Return the organisation for role; PED's when value is empty."""
    if value is None and role == "ped":
        return Organisation.ped()
    if value is None:
        raise click.ClickException(
            f"A {ROLE_NAMES[role]} needs --organisation: an NCES id or id.")
    organisation = find_organisation(value)
    if organisation.kind not in ROLE_KINDS[role]:
        allowed = " or ".join(ROLE_KINDS[role])
        raise click.ClickException(
            f"A {ROLE_NAMES[role]} belongs to a {allowed}, and "
            f"{describe(organisation)} is not one.")
    if organisation.closed_on is not None:
        raise click.ClickException(f"{describe(organisation)} is closed.")
    return organisation


@click.command("create-user")
@click.argument("email")
@click.argument("first_name")
@click.argument("last_name")
@click.option("--role", required=True, type=click.Choice(list(ROLE_KINDS)),
              help="ped, district or school absence coordinator.")
@click.option("--organisation",
              help="NCES id or id of the school, district or charter "
                   "(default for --role ped: PED).")
@click.option("--set-password", is_flag=True,
              help="Prompt for the password, with confirmation, instead of "
                   "letting the user set it through password reset.")
@with_database
def create_user_command(email, first_name, last_name, role, organisation,
                        set_password):
    """Create an active account with one role.

    The account needs no approval. Without --set-password, its owner
    chooses a password through the password reset page.
    """
    email = clean_email(email)
    organisation = role_organisation(role, organisation)
    password = None
    if set_password:
        password = click.prompt("Password", hide_input=True,
                                confirmation_prompt=True)
        errors = policy_errors(password)
        if errors:
            raise click.ClickException(
                "Invalid password. " + " ".join(errors))
    with database.atomic():
        user = create_account(email, first_name.strip(), last_name.strip(),
                              role, organisation, password)
    click.echo(f"Created {user.email} as {ROLE_NAMES[role]} at "
               f"{organisation.name}.")
    if password is None:
        click.echo("No password was set. Ask them to choose one with "
                   "\"Forgot password?\" on the sign-in page; the link is "
                   "emailed to them.")


@click.command("post-announcement")
@click.argument("title")
@click.argument("body")
@click.option("--expires", type=click.DateTime(["%Y-%m-%d"]),
              help="Last day to show it, as YYYY-MM-DD (default: never "
                   "expires).")
@with_database
def post_announcement_command(title, body, expires):
    """Post an announcement to every coordinator."""
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise click.ClickException("Missing title or body: give both.")
    if len(title) > Announcement.title.max_length:
        raise click.ClickException(
            f"The title has {len(title)} characters: use at most "
            f"{Announcement.title.max_length}.")
    announcement = Announcement.create(
        title=title, body=body, expires_on=expires.date() if expires else None)
    logger.info("announcement %s posted", announcement.id)
    until = f" until {announcement.expires_on}" if expires else ""
    click.echo(f"Posted announcement {announcement.id}: {title}{until}.")


COMMANDS = [create_user_command, post_announcement_command]
