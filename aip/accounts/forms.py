"""Forms of the accounts area. Each error renders beside its field."""

import re

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import (HiddenField, PasswordField, RadioField, SelectField,
                     StringField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (DataRequired, EqualTo, InputRequired,
                                Length, Regexp, ValidationError)

from aip.models import Organisation, User
from aip.models.accounts import (DISTRICT_COORDINATOR, ROLE_NAMES,
                                 SCHOOL_COORDINATOR)
from aip.models.organisations import CHARTER
from aip.passwords import policy_errors

# Deliberately loose: one @, no spaces, and an ASCII domain with a dot.
EMAIL_PATTERN = re.compile(
    r"^[^@\s]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
EMAIL_MESSAGE = "Enter an email address such as name@district.k12.nm.us."
EMAIL_TAKEN = ("An account already uses this email address. Sign in, or "
               "reset your password if you have forgotten it.")


def strip(value):
    return value.strip() if isinstance(value, str) else value


def email_domain(email):
    return email.rsplit("@", 1)[-1].lower()


def domain_matches(domain, allowed):
    """Return True when domain is one of allowed or a subdomain of one."""
    return any(domain == item or domain.endswith("." + item)
               for item in (entry.lower() for entry in allowed))


def check_email(form, field):
    if not EMAIL_PATTERN.match(field.data or ""):
        raise ValidationError(EMAIL_MESSAGE)


def check_password_policy(form, field):
    errors = policy_errors(field.data)
    if errors:
        raise ValidationError(" ".join(errors))


def email_field(label="Email"):
    return StringField(label, [DataRequired("Enter your email address."),
                               Length(max=254), check_email],
                       filters=[strip])


def confirm_field(target):
    return PasswordField("Confirm password", [
        InputRequired("Type the password again."),
        EqualTo(target, "The two passwords do not match."),
    ])


class RegistrationForm(FlaskForm):
    first_name = StringField("First name", [
        DataRequired("Enter your first name."), Length(max=100)],
        filters=[strip])
    last_name = StringField("Last name", [
        DataRequired("Enter your last name."), Length(max=100)],
        filters=[strip])
    email = email_field("Work email")
    role = RadioField("Role", choices=[
        SelectChoice(SCHOOL_COORDINATOR, ROLE_NAMES[SCHOOL_COORDINATOR]),
        SelectChoice(DISTRICT_COORDINATOR, ROLE_NAMES[DISTRICT_COORDINATOR]),
    ], validators=[InputRequired("Choose your role.")],
        validate_choice=False)
    district = SelectField("District or state charter",
                           validate_choice=False)
    school = SelectField("School", validate_choice=False)
    phone = StringField("Phone number", [
        DataRequired("Enter your phone number."), Length(max=40)],
        filters=[strip])
    password = PasswordField("Password", [
        InputRequired("Choose a password."), check_password_policy])
    confirm = confirm_field("password")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lea = self.organisation = None
        self.domain_verified = False
        self.district.choices = [
            SelectChoice("", "Choose a district or charter")] + [
            SelectChoice(str(lea.id), lea.name) for lea in Organisation.leas()]
        self.lea = self._find_lea()
        schools = Organisation.schools_of(self.lea) if self.lea else []
        self.school.choices = [SelectChoice("", "Choose a school")] + [
            SelectChoice(str(school.id), school.name) for school in schools]

    def _find_lea(self):
        value = self.district.data or ""
        if not value.isdigit() or len(value) > 12:
            return None
        return Organisation.leas().where(Organisation.id == int(value)).first()

    def validate_email(self, field):
        if not field.errors and User.by_email(field.data):
            raise ValidationError(EMAIL_TAKEN)

    def validate_role(self, field):
        if field.data not in (SCHOOL_COORDINATOR, DISTRICT_COORDINATOR):
            raise ValidationError("Choose one of the two roles.")

    def validate_district(self, field):
        if self.lea is None:
            raise ValidationError(
                "Choose your district or state charter from the list.")
        if self.lea.kind == CHARTER and self.role.data == DISTRICT_COORDINATOR:
            raise ValidationError(
                "A state charter has no district coordinator: register as "
                "its School Absence Coordinator.")

    def validate_school(self, field):
        if self.role.data != SCHOOL_COORDINATOR or self.lea is None:
            return
        value = field.data or ""
        school = None
        if value.isdigit() and len(value) <= 12:
            school = (Organisation.schools_of(self.lea)
                      .where(Organisation.id == int(value))
                      .first())
        if school is None:
            raise ValidationError(
                f"Choose a school of {self.lea.name} from the list.")
        self.organisation = school

    def validate_phone(self, field):
        digits = re.sub(r"\D", "", field.data or "")
        if not 10 <= len(digits) <= 15:
            raise ValidationError(
                "Enter a phone number with its area code, such as "
                "505-555-0123.")

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.role.data == DISTRICT_COORDINATOR:
            self.organisation = self.lea
        if not self.email.errors:
            valid = self._check_domain() and valid
        return valid

    def _check_domain(self):
        domain = email_domain(self.email.data)
        if domain in current_app.config["FREE_MAIL_DOMAINS"]:
            self.email.errors.append(
                f"Personal addresses such as {domain} are not accepted. "
                "Use your school or district email address.")
            return False
        allowed = self.lea.allowed_domains if self.lea else []
        if allowed and not domain_matches(domain, allowed):
            self.email.errors.append(
                f"{self.lea.name} accepts email addresses at "
                f"{', '.join(allowed)} only.")
            return False
        self.domain_verified = bool(allowed)
        return True


class SignInForm(FlaskForm):
    email = email_field()
    password = PasswordField("Password", [
        InputRequired("Enter your password.")])
    next = HiddenField()


class CodeForm(FlaskForm):
    code = StringField("Sign-in code", [
        InputRequired("Enter the 6-digit code from the email."),
        Regexp(r"^\d{6}$", message="Enter the 6-digit code from the email."),
    ], filters=[lambda value: re.sub(r"\s", "", value or "")])


class ResendCodeForm(FlaskForm):
    """Only the CSRF token: the pending sign-in is in the session."""


class NewPasswordForm(FlaskForm):
    new_password = PasswordField("New password", [
        InputRequired("Choose a new password."), check_password_policy])
    confirm = confirm_field("new_password")


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField("Current password", [
        InputRequired("Enter your current password.")])


class ForgotPasswordForm(FlaskForm):
    email = email_field()
