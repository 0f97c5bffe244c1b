"""Validation of the plan's rows, one WTForms class per kind of row.

Each row renders its inputs with the prefix "<kind>-<key>", so a field
is named like "member-12-email" whether it arrives alone from autosave
or with the whole tab from the Save button. Autosave validates one field
at a time, and a tab save validates every field. ``value`` converts
valid input into what the model stores.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from wtforms import BooleanField, Form, StringField, TextAreaField
from wtforms.validators import AnyOf, Length, Optional, Regexp, \
    ValidationError

ROOT_CAUSE_CATEGORIES = (
    ("barriers", "Barriers"),
    ("aversion", "Aversion"),
    ("disengagement", "Disengagement"),
    ("misconceptions", "Misconceptions"),
    ("other", "Other"),
)

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
RATE_PATTERN = re.compile(r"^\d{1,3}(\.\d)?$")


def strip(value):
    return value.strip() if isinstance(value, str) else value


def text(label, max_length=None, **kwargs):
    validators = [Length(max=max_length)] if max_length else []
    return StringField(label, validators, filters=[strip], **kwargs)


def email(label):
    return StringField(label, [
        Optional(),
        Length(max=254),
        Regexp(EMAIL_PATTERN,
               message="Enter an email address such as name@school.org."),
    ], filters=[strip])


def parse_rate(raw):
    """Return a rate typed as "12" or "12.5" as a Decimal, or None."""
    raw = (raw or "").strip().rstrip("%").strip()
    if raw == "":
        return None
    if not RATE_PATTERN.match(raw):
        raise ValueError
    rate = Decimal(raw)
    if rate > 100:
        raise ValueError
    return rate


def check_rate(form, field):
    try:
        parse_rate(field.data)
    except (ValueError, InvalidOperation):
        raise ValidationError(
            f"“{field.data}” is not a valid target: enter a percentage "
            "from 0 to 100 with at most one decimal place, such as 12.5."
        ) from None


def parse_date(raw):
    raw = (raw or "").strip()
    return date.fromisoformat(raw) if raw else None


def check_date(form, field):
    try:
        parse_date(field.data)
    except ValueError:
        raise ValidationError(
            f"“{field.data}” is not a valid date: enter it as YYYY-MM-DD, "
            "such as 2026-10-15.") from None


class RowForm(Form):
    """A row's fields; ``value`` converts valid input for the model."""

    def value(self, name):
        return self[name].data


class ContactForm(RowForm):
    first_name = text("First name", 100)
    last_name = text("Last name", 100)
    title = text("Title", 150)
    email = email("Email")
    phone = text("Phone", 40)


class MemberForm(RowForm):
    first_name = text("First name", 100)
    last_name = text("Last name", 100)
    title = text("Title", 150)
    email = email("Email")


class TargetForm(RowForm):
    target_rate = StringField("Target chronic-absence rate (%)",
                              [check_rate])

    def value(self, name):
        return parse_rate(self[name].data)


class RootCauseForm(RowForm):
    category = StringField("Category", [AnyOf(
        [code for code, _ in ROOT_CAUSE_CATEGORIES],
        message="Choose one of the listed categories.")])
    custom_category = text("Category name (for Other)", 100)
    finding = TextAreaField("Finding", filters=[strip])
    evidence_data = BooleanField("Attendance and other data")
    evidence_surveys = BooleanField("Surveys")
    evidence_focus_groups = BooleanField("Focus groups")
    evidence_other = text("Other evidence", 200)


class StrategyForm(RowForm):
    name = text("Strategy", 200)
    description = TextAreaField("Description", filters=[strip])
    rationale = TextAreaField("Rationale from the root-cause analysis",
                              filters=[strip])
    measure = TextAreaField("Performance measure", filters=[strip])
    collection_method = TextAreaField("How the measure is collected",
                                      filters=[strip])
    collection_frequency = text("How often it is collected", 100)


class ActionStepForm(RowForm):
    activity = TextAreaField("Action step", filters=[strip])
    responsible = text("Responsible party", 200)
    resources = TextAreaField("Resources needed", filters=[strip])
    timeline = text("Timeline", 200)
    due_on = StringField("Due date (optional)", [check_date])

    def value(self, name):
        if name == "due_on":
            return parse_date(self[name].data)
        return self[name].data


def editable_fields(form_class):
    """Return the names of a form class's fields, in declaration order."""
    return [name for name, _ in form_class()._fields.items()]
