"""Migration 001_initial, written by `flask aip make-migration` from aip.models."""

from decimal import ROUND_HALF_EVEN

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Apply this migration."""

    @migrator.create_model
    class Organisation(pw.Model):
        id = pw.AutoField()
        kind = pw.CharField(index=True, max_length=16)
        name = pw.CharField(max_length=200)
        nces_id = pw.CharField(max_length=16, null=True, unique=True)
        state_code = pw.CharField(index=True, max_length=16, null=True)
        parent = pw.ForeignKeyField(column_name='parent_id', field='id', model='self', null=True, on_delete='RESTRICT')
        city = pw.CharField(default='', max_length=100)
        lowest_grade = pw.CharField(max_length=16, null=True)
        highest_grade = pw.CharField(max_length=16, null=True)
        closed_on = pw.DateField(null=True)
        email_domains = pw.TextField(default='')

        class Meta:
            legacy_table_names = False
            table_name = "organisation"
            indexes = [(('parent', 'name'), False)]

    @migrator.create_model
    class SchoolYear(pw.Model):
        id = pw.AutoField()
        name = pw.CharField(max_length=9, unique=True)
        start_year = pw.IntegerField(unique=True)
        is_current = pw.BooleanField(default=False)

        class Meta:
            legacy_table_names = False
            table_name = "school_year"

    @migrator.create_model
    class Plan(pw.Model):
        id = pw.AutoField()
        organisation = pw.ForeignKeyField(column_name='organisation_id', field='id', model=migrator.orm['organisation'])
        school_year = pw.ForeignKeyField(column_name='school_year_id', field='id', model=migrator.orm['school_year'])
        status = pw.CharField(default='draft', index=True, max_length=16)
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        submitted_at = pw.DateTimeField(null=True)
        approved_at = pw.DateTimeField(null=True)

        class Meta:
            legacy_table_names = False
            table_name = "plan"
            indexes = [(('organisation', 'school_year'), True)]

    @migrator.create_model
    class Strategy(pw.Model):
        id = pw.AutoField()
        version = pw.IntegerField(default=1)
        field_versions = pw.TextField(default='{}')
        plan = pw.ForeignKeyField(column_name='plan_id', field='id', model=migrator.orm['plan'], on_delete='CASCADE')
        tier = pw.IntegerField()
        name = pw.CharField(default='', max_length=200)
        description = pw.TextField(default='')
        rationale = pw.TextField(default='')
        measure = pw.TextField(default='')
        collection_method = pw.TextField(default='')
        collection_frequency = pw.CharField(default='', max_length=100)
        position = pw.IntegerField(default=0)

        class Meta:
            legacy_table_names = False
            table_name = "strategy"

    @migrator.create_model
    class ActionStep(pw.Model):
        id = pw.AutoField()
        version = pw.IntegerField(default=1)
        field_versions = pw.TextField(default='{}')
        strategy = pw.ForeignKeyField(column_name='strategy_id', field='id', model=migrator.orm['strategy'], on_delete='CASCADE')
        activity = pw.TextField(default='')
        responsible = pw.CharField(default='', max_length=200)
        resources = pw.TextField(default='')
        timeline = pw.CharField(default='', max_length=200)
        due_on = pw.DateField(null=True)
        position = pw.IntegerField(default=0)

        class Meta:
            legacy_table_names = False
            table_name = "action_step"

    @migrator.create_model
    class User(pw.Model):
        id = pw.AutoField()
        email = pw.CharField(max_length=254, unique=True)
        first_name = pw.CharField(max_length=100)
        last_name = pw.CharField(max_length=100)
        phone = pw.CharField(default='', max_length=40)
        password_hash = pw.CharField(max_length=255)
        password_changed_at = pw.DateTimeField()
        must_change_password = pw.BooleanField(default=False)
        created_at = pw.DateTimeField()

        class Meta:
            legacy_table_names = False
            table_name = "user"

    @migrator.create_model
    class Announcement(pw.Model):
        id = pw.AutoField()
        title = pw.CharField(max_length=200)
        body = pw.TextField()
        posted_by = pw.ForeignKeyField(column_name='posted_by_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        posted_at = pw.DateTimeField()
        expires_on = pw.DateField(null=True)

        class Meta:
            legacy_table_names = False
            table_name = "announcement"

    @migrator.create_model
    class StudentGroup(pw.Model):
        id = pw.AutoField()
        code = pw.CharField(max_length=8, unique=True)
        name = pw.CharField(max_length=100)
        category = pw.CharField(max_length=40)
        position = pw.IntegerField()

        class Meta:
            legacy_table_names = False
            table_name = "student_group"

    @migrator.create_model
    class GradeLevel(pw.Model):
        id = pw.AutoField()
        code = pw.CharField(max_length=4, unique=True)
        name = pw.CharField(max_length=40)
        position = pw.IntegerField(unique=True)

        class Meta:
            legacy_table_names = False
            table_name = "grade_level"

    @migrator.create_model
    class AttendanceFigure(pw.Model):
        id = pw.AutoField()
        organisation = pw.ForeignKeyField(column_name='organisation_id', field='id', model=migrator.orm['organisation'], on_delete='CASCADE')
        school_year = pw.ForeignKeyField(column_name='school_year_id', field='id', model=migrator.orm['school_year'])
        period = pw.CharField(default='eoy', max_length=16)
        group = pw.ForeignKeyField(column_name='group_id', field='id', model=migrator.orm['student_group'], null=True)
        grade = pw.ForeignKeyField(column_name='grade_id', field='id', model=migrator.orm['grade_level'], null=True)
        enrollment = pw.IntegerField()
        tier1_students = pw.IntegerField(default=0)
        tier2_students = pw.IntegerField(default=0)
        tier3_students = pw.IntegerField(default=0)
        tier4_students = pw.IntegerField(default=0)
        chronically_absent = pw.IntegerField(default=0)
        chronic_absence_rate = pw.DecimalField(auto_round=False, decimal_places=1, max_digits=5, rounding=ROUND_HALF_EVEN)
        days_enrolled = pw.IntegerField(default=0)
        days_present = pw.IntegerField(default=0)
        days_excused = pw.IntegerField(default=0)
        days_unexcused = pw.IntegerField(default=0)
        source = pw.CharField(default='import', max_length=16)

        class Meta:
            legacy_table_names = False
            table_name = "attendance_figure"
            indexes = [(('organisation', 'school_year', 'period', 'group', 'grade'), True)]

    @migrator.create_model
    class AuditEvent(pw.Model):
        id = pw.AutoField()
        actor = pw.ForeignKeyField(column_name='actor_id', field='id', model=migrator.orm['user'], null=True, on_delete='SET NULL')
        action = pw.CharField(index=True, max_length=60)
        subject = pw.CharField(default='', max_length=100)
        detail = pw.TextField(default='')
        created_at = pw.DateTimeField(index=True)

        class Meta:
            legacy_table_names = False
            table_name = "audit_event"

    @migrator.create_model
    class FailedAttempt(pw.Model):
        id = pw.AutoField()
        key = pw.CharField(index=True, max_length=300)
        created_at = pw.DateTimeField(index=True)

        class Meta:
            legacy_table_names = False
            table_name = "failed_attempt"

    @migrator.create_model
    class OutgoingMail(pw.Model):
        id = pw.AutoField()
        recipient = pw.CharField(max_length=254)
        subject = pw.CharField(max_length=200)
        body = pw.TextField()
        created_at = pw.DateTimeField()
        next_attempt_at = pw.DateTimeField(index=True)
        attempts = pw.IntegerField(default=0)
        sent_at = pw.DateTimeField(index=True, null=True)
        last_error = pw.TextField(default='')
        failed = pw.IntegerField(default=0)

        class Meta:
            legacy_table_names = False
            table_name = "outgoing_mail"

    @migrator.create_model
    class PasswordHistory(pw.Model):
        id = pw.AutoField()
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        password_hash = pw.CharField(max_length=255)
        created_at = pw.DateTimeField()

        class Meta:
            legacy_table_names = False
            table_name = "password_history"

    @migrator.create_model
    class PlanContact(pw.Model):
        id = pw.AutoField()
        version = pw.IntegerField(default=1)
        field_versions = pw.TextField(default='{}')
        plan = pw.ForeignKeyField(column_name='plan_id', field='id', model=migrator.orm['plan'], on_delete='CASCADE', unique=True)
        first_name = pw.CharField(default='', max_length=100)
        last_name = pw.CharField(default='', max_length=100)
        title = pw.CharField(default='', max_length=150)
        email = pw.CharField(default='', max_length=254)
        phone = pw.CharField(default='', max_length=40)

        class Meta:
            legacy_table_names = False
            table_name = "plan_contact"

    @migrator.create_model
    class ProgressUpdate(pw.Model):
        id = pw.AutoField()
        version = pw.IntegerField(default=1)
        field_versions = pw.TextField(default='{}')
        plan = pw.ForeignKeyField(column_name='plan_id', field='id', model=migrator.orm['plan'], on_delete='CASCADE')
        period = pw.CharField(max_length=16)
        reflection = pw.TextField(default='')
        submitted_at = pw.DateTimeField(null=True)

        class Meta:
            legacy_table_names = False
            table_name = "progress_update"
            indexes = [(('plan', 'period'), True)]

    @migrator.create_model
    class Submission(pw.Model):
        id = pw.AutoField()
        plan = pw.ForeignKeyField(column_name='plan_id', field='id', model=migrator.orm['plan'], on_delete='CASCADE')
        round = pw.IntegerField()
        submitted_by = pw.ForeignKeyField(column_name='submitted_by_id', field='id', model=migrator.orm['user'])
        submitted_at = pw.DateTimeField()
        certification = pw.TextField()
        snapshot = pw.TextField()

        class Meta:
            legacy_table_names = False
            table_name = "submission"
            indexes = [(('plan', 'round'), True)]

    @migrator.create_model
    class Review(pw.Model):
        id = pw.AutoField()
        submission = pw.ForeignKeyField(column_name='submission_id', field='id', model=migrator.orm['submission'], on_delete='CASCADE', unique=True)
        reviewer = pw.ForeignKeyField(column_name='reviewer_id', field='id', model=migrator.orm['user'])
        decision = pw.CharField(max_length=16)
        comments = pw.TextField(default='')
        decided_at = pw.DateTimeField()

        class Meta:
            legacy_table_names = False
            table_name = "review"

    @migrator.create_model
    class RoleGrant(pw.Model):
        id = pw.AutoField()
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        role = pw.CharField(max_length=16)
        organisation = pw.ForeignKeyField(column_name='organisation_id', field='id', model=migrator.orm['organisation'])
        status = pw.CharField(default='pending', index=True, max_length=16)
        domain_verified = pw.BooleanField(default=False)
        requested_at = pw.DateTimeField()
        decided_by = pw.ForeignKeyField(column_name='decided_by_id', field='id', model=migrator.orm['user'], null=True)
        decided_at = pw.DateTimeField(null=True)
        decision_reason = pw.TextField(default='')

        class Meta:
            legacy_table_names = False
            table_name = "role_grant"
            indexes = [(('user', 'role', 'organisation'), True)]

    @migrator.create_model
    class RootCause(pw.Model):
        id = pw.AutoField()
        version = pw.IntegerField(default=1)
        field_versions = pw.TextField(default='{}')
        plan = pw.ForeignKeyField(column_name='plan_id', field='id', model=migrator.orm['plan'], on_delete='CASCADE')
        category = pw.CharField(default='barriers', max_length=40)
        custom_category = pw.CharField(default='', max_length=100)
        finding = pw.TextField(default='')
        evidence_data = pw.BooleanField(default=False)
        evidence_surveys = pw.BooleanField(default=False)
        evidence_focus_groups = pw.BooleanField(default=False)
        evidence_other = pw.CharField(default='', max_length=200)
        position = pw.IntegerField(default=0)

        class Meta:
            legacy_table_names = False
            table_name = "root_cause"

    @migrator.create_model
    class SignInCode(pw.Model):
        id = pw.AutoField()
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        code_hash = pw.CharField(max_length=128)
        created_at = pw.DateTimeField()
        expires_at = pw.DateTimeField()
        attempts = pw.IntegerField(default=0)
        used_at = pw.DateTimeField(null=True)

        class Meta:
            legacy_table_names = False
            table_name = "sign_in_code"

    @migrator.create_model
    class Target(pw.Model):
        id = pw.AutoField()
        version = pw.IntegerField(default=1)
        field_versions = pw.TextField(default='{}')
        plan = pw.ForeignKeyField(column_name='plan_id', field='id', model=migrator.orm['plan'], on_delete='CASCADE')
        group = pw.ForeignKeyField(column_name='group_id', field='id', model=migrator.orm['student_group'], null=True)
        grade = pw.ForeignKeyField(column_name='grade_id', field='id', model=migrator.orm['grade_level'], null=True)
        target_rate = pw.DecimalField(auto_round=False, decimal_places=1, max_digits=5, null=True, rounding=ROUND_HALF_EVEN)

        class Meta:
            legacy_table_names = False
            table_name = "target"
            indexes = [(('plan', 'group', 'grade'), True)]

    @migrator.create_model
    class TeamMember(pw.Model):
        id = pw.AutoField()
        version = pw.IntegerField(default=1)
        field_versions = pw.TextField(default='{}')
        plan = pw.ForeignKeyField(column_name='plan_id', field='id', model=migrator.orm['plan'], on_delete='CASCADE')
        first_name = pw.CharField(default='', max_length=100)
        last_name = pw.CharField(default='', max_length=100)
        title = pw.CharField(default='', max_length=150)
        email = pw.CharField(default='', max_length=254)
        position = pw.IntegerField(default=0)

        class Meta:
            legacy_table_names = False
            table_name = "team_member"

    @migrator.create_model
    class UserSession(pw.Model):
        id = pw.AutoField()
        token_hash = pw.CharField(max_length=64, unique=True)
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user'], on_delete='CASCADE')
        grant = pw.ForeignKeyField(column_name='grant_id', field='id', model=migrator.orm['role_grant'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()
        last_seen_at = pw.DateTimeField()
        revoked_at = pw.DateTimeField(null=True)
        client_address = pw.CharField(default='', max_length=64)

        class Meta:
            legacy_table_names = False
            table_name = "user_session"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Undo this migration."""

    migrator.remove_model('user_session')

    migrator.remove_model('team_member')

    migrator.remove_model('target')

    migrator.remove_model('sign_in_code')

    migrator.remove_model('root_cause')

    migrator.remove_model('role_grant')

    migrator.remove_model('review')

    migrator.remove_model('submission')

    migrator.remove_model('progress_update')

    migrator.remove_model('plan_contact')

    migrator.remove_model('password_history')

    migrator.remove_model('outgoing_mail')

    migrator.remove_model('failed_attempt')

    migrator.remove_model('audit_event')

    migrator.remove_model('attendance_figure')

    migrator.remove_model('grade_level')

    migrator.remove_model('student_group')

    migrator.remove_model('announcement')

    migrator.remove_model('user')

    migrator.remove_model('action_step')

    migrator.remove_model('strategy')

    migrator.remove_model('plan')

    migrator.remove_model('school_year')

    migrator.remove_model('organisation')
