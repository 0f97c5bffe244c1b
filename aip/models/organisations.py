"""New Mexico organisations: PED, districts, state charters and schools."""

from peewee import CharField, DateField, ForeignKeyField, TextField

from aip.models.base import BaseModel

STATE = "state"
DISTRICT = "district"
CHARTER = "charter"
SCHOOL = "school"
KINDS = (STATE, DISTRICT, CHARTER, SCHOOL)


class Organisation(BaseModel):
    """PED, a local education agency (district or state charter), or a school.

    A state-chartered charter is its own local education agency with its
    school(s) below it; PED reviews its plan in place of a district.
    """

    kind = CharField(max_length=16, index=True)
    name = CharField(max_length=200)
    nces_id = CharField(max_length=16, unique=True, null=True)
    state_code = CharField(max_length=16, null=True, index=True)
    parent = ForeignKeyField("self", null=True, backref="children",
                             on_delete="RESTRICT")
    city = CharField(max_length=100, default="")
    lowest_grade = CharField(max_length=16, null=True)
    highest_grade = CharField(max_length=16, null=True)
    closed_on = DateField(null=True)
    # Space-separated email domains accepted for registrations in this
    # local education agency; empty means any non-free-mail domain.
    email_domains = TextField(default="")

    class Meta:
        indexes = ((("parent", "name"), False),)

    def __str__(self):
        return self.name

    @property
    def is_lea(self):
        return self.kind in (DISTRICT, CHARTER)

    @property
    def lea(self):
        """Return the local education agency this organisation belongs to."""
        return self if self.is_lea or self.parent_id is None else self.parent

    @property
    def allowed_domains(self):
        return self.email_domains.split()

    @classmethod
    def open(cls):
        return cls.select().where(cls.closed_on.is_null())

    @classmethod
    def leas(cls):
        return (cls.open()
                .where(cls.kind.in_([DISTRICT, CHARTER]))
                .order_by(cls.name))

    @classmethod
    def schools_of(cls, lea):
        return (cls.open()
                .where((cls.kind == SCHOOL) & (cls.parent == lea))
                .order_by(cls.name))

    @classmethod
    def ped(cls):
        return cls.get(cls.kind == STATE)
