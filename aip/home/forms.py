"""Forms of the home area."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError


def local_today():
    """Return today's date in Mountain time, the day users see."""
    return datetime.now(ZoneInfo(current_app.config["TIMEZONE"])).date()


def strip(value):
    return value.strip() if isinstance(value, str) else value


class AnnouncementForm(FlaskForm):
    title = StringField("Title", [DataRequired("Enter a title."),
                                  Length(max=200)], filters=[strip])
    body = TextAreaField("Announcement", [
        DataRequired("Enter the announcement text."), Length(max=5000)],
        filters=[strip])
    expires_on = DateField(
        "Show until (optional)", [Optional()],
        render_kw={"type": "date"})

    def validate_expires_on(self, field):
        if field.data and field.data < local_today():
            raise ValidationError("Choose today or a later date.")


class ChooseRoleForm(FlaskForm):
    """The role buttons of the landing page each submit a grant id."""

    next = HiddenField()
