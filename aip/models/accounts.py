"""People, the roles they hold, and the records that guard sign-in."""

from peewee import (BooleanField, CharField, DateTimeField, ForeignKeyField,
                    IntegerField, TextField)

from aip.models.base import BaseModel, utcnow
from aip.models.organisations import Organisation

SCHOOL_COORDINATOR = "school"
DISTRICT_COORDINATOR = "district"
PED_COORDINATOR = "ped"
ROLE_NAMES = {
    SCHOOL_COORDINATOR: "School Absence Coordinator",
    DISTRICT_COORDINATOR: "District Absence Coordinator",
    PED_COORDINATOR: "PED Absence Coordinator",
}

PENDING = "pending"
ACTIVE = "active"
REJECTED = "rejected"
REVOKED = "revoked"


class User(BaseModel):
    email = CharField(max_length=254, unique=True)
    first_name = CharField(max_length=100)
    last_name = CharField(max_length=100)
    phone = CharField(max_length=40, default="")
    password_hash = CharField(max_length=255)
    password_changed_at = DateTimeField(default=utcnow)
    must_change_password = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self):
        return str(self)

    @classmethod
    def by_email(cls, email):
        return cls.get_or_none(cls.email == email.strip().lower())

    def active_grants(self):
        return (self.grants
                .where(RoleGrant.status == ACTIVE)
                .join(Organisation)
                .order_by(RoleGrant.role, Organisation.name))


class RoleGrant(BaseModel):
    """One role of one person at one organisation, from request to decision."""

    user = ForeignKeyField(User, backref="grants", on_delete="CASCADE")
    role = CharField(max_length=16)
    organisation = ForeignKeyField(Organisation, backref="grants")
    status = CharField(max_length=16, default=PENDING, index=True)
    # False when the email's domain is not on the organisation's list, or
    # the organisation has no list; approvers see the domain as unverified.
    domain_verified = BooleanField(default=False)
    requested_at = DateTimeField(default=utcnow)
    decided_by = ForeignKeyField(User, null=True, backref="decisions")
    decided_at = DateTimeField(null=True)
    decision_reason = TextField(default="")

    class Meta:
        indexes = ((("user", "role", "organisation"), True),)

    @property
    def role_name(self):
        return ROLE_NAMES[self.role]


class PasswordHistory(BaseModel):
    user = ForeignKeyField(User, backref="password_history",
                           on_delete="CASCADE")
    password_hash = CharField(max_length=255)
    created_at = DateTimeField(default=utcnow)


class SignInCode(BaseModel):
    """A six-digit code emailed as the second sign-in step, stored hashed."""

    user = ForeignKeyField(User, backref="signin_codes", on_delete="CASCADE")
    code_hash = CharField(max_length=128)
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    attempts = IntegerField(default=0)
    used_at = DateTimeField(null=True)


class UserSession(BaseModel):
    """A signed-in browser; the cookie carries only a token for this row.

    Sign-out and password change set revoked_at, which every app server
    notices because each request checks the row.
    """

    token_hash = CharField(max_length=64, unique=True)
    user = ForeignKeyField(User, backref="sessions", on_delete="CASCADE")
    grant = ForeignKeyField(RoleGrant, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)
    last_seen_at = DateTimeField(default=utcnow)
    revoked_at = DateTimeField(null=True)
    client_address = CharField(max_length=64, default="")


class FailedAttempt(BaseModel):
    """A failed password or code, counted per account and per address."""

    key = CharField(max_length=300, index=True)
    created_at = DateTimeField(default=utcnow, index=True)
