"""Attendance figures in the shape PED reports them."""

from peewee import (BooleanField, CharField, DecimalField, ForeignKeyField,
                    IntegerField)

from aip.models.base import BaseModel
from aip.models.organisations import Organisation

END_OF_YEAR = "eoy"


class SchoolYear(BaseModel):
    name = CharField(max_length=9, unique=True)  # "2025-26"
    start_year = IntegerField(unique=True)
    is_current = BooleanField(default=False)

    def __str__(self):
        return self.name

    @classmethod
    def current(cls):
        return cls.get(cls.is_current == True)  # noqa: E712

    def previous(self, count):
        """Return the count school years before this one, newest first."""
        return list(SchoolYear.select()
                    .where(SchoolYear.start_year < self.start_year)
                    .order_by(SchoolYear.start_year.desc())
                    .limit(count))


class StudentGroup(BaseModel):
    """A student group with PED's code, such as ED or SD."""

    code = CharField(max_length=8, unique=True)
    name = CharField(max_length=100)
    category = CharField(max_length=40)
    position = IntegerField()


class GradeLevel(BaseModel):
    code = CharField(max_length=4, unique=True)  # PK, KF, 01 … 12
    name = CharField(max_length=40)
    position = IntegerField(unique=True)


class AttendanceFigure(BaseModel):
    """One row of PED's attendance table for an organisation and year.

    A row is for the whole organisation (group and grade empty), one
    student group, or one grade. ``source`` is "synthetic" for generated
    demo data, which every screen that shows it must label.
    """

    organisation = ForeignKeyField(Organisation, backref="attendance",
                                   on_delete="CASCADE")
    school_year = ForeignKeyField(SchoolYear, backref="attendance")
    period = CharField(max_length=16, default=END_OF_YEAR)
    group = ForeignKeyField(StudentGroup, null=True)
    grade = ForeignKeyField(GradeLevel, null=True)
    enrollment = IntegerField()
    tier1_students = IntegerField(default=0)
    tier2_students = IntegerField(default=0)
    tier3_students = IntegerField(default=0)
    tier4_students = IntegerField(default=0)
    chronically_absent = IntegerField(default=0)
    chronic_absence_rate = DecimalField(max_digits=5, decimal_places=1)
    days_enrolled = IntegerField(default=0)
    days_present = IntegerField(default=0)
    days_excused = IntegerField(default=0)
    days_unexcused = IntegerField(default=0)
    source = CharField(max_length=16, default="import")

    class Meta:
        indexes = (
            (("organisation", "school_year", "period", "group", "grade"),
             True),
        )
