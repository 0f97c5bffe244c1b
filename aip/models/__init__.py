"""Models, split by concept; ALL_MODELS is in dependency order."""

from aip.models.accounts import (FailedAttempt, PasswordHistory, RoleGrant,
                                 SignInCode, User, UserSession)
from aip.models.attendance import (AttendanceFigure, GradeLevel, SchoolYear,
                                   StudentGroup)
from aip.models.audit import Announcement, AuditEvent
from aip.models.base import EditConflict, utcnow
from aip.models.mail import OutgoingMail
from aip.models.organisations import Organisation
from aip.models.plans import (ActionStep, Plan, PlanContact, ProgressUpdate,
                              Review, RootCause, Strategy, Submission, Target,
                              TeamMember)

ALL_MODELS = [
    Organisation, User, RoleGrant, PasswordHistory, SignInCode, UserSession,
    FailedAttempt, SchoolYear, StudentGroup, GradeLevel, AttendanceFigure,
    Plan, PlanContact, TeamMember, Target, RootCause, Strategy, ActionStep,
    ProgressUpdate, Submission, Review, OutgoingMail, AuditEvent,
    Announcement,
]

__all__ = [model.__name__ for model in ALL_MODELS] + [
    "ALL_MODELS", "EditConflict", "utcnow",
]
