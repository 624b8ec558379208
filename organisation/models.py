"""Areas, units, teams, people, their memberships and their role grants."""

from functools import reduce
from operator import or_

import pghistory
import pgtrigger
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from organisation.login import login_name


def audited(**options):
    """Keep every insert, update and delete in an audit history, written by a database trigger.

    Triggers catch bulk_create, .update() and raw SQL too, which model signals would miss.
    Trackers are bound to one model, so each model gets fresh ones.
    """
    return pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **options)


@audited()
class Area(models.Model):
    name = models.CharField(max_length=100, unique=True)
    code = models.SlugField(max_length=30, unique=True, help_text="Short stable code, e.g. 'north-west'.")
    is_geographic = models.BooleanField(
        default=True, help_text="Untick for national services without a geography, such as CPS Direct."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class UnitType(models.TextChoices):
    MAGISTRATES_COURTS = "magistrates_courts", "Magistrates' courts"
    CROWN_COURT = "crown_court", "Crown Court"
    RASSO = "rasso", "RASSO (rape and serious sexual offences)"
    COMPLEX_CASEWORK = "complex_casework", "Complex Casework Unit"
    CENTRAL_CASEWORK = "central_casework", "Central casework division"
    CASE_REVIEW_GROUP = "case_review_group", "Case review group"
    OTHER = "other", "Other"


@audited()
class Unit(models.Model):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(max_length=150)
    unit_type = models.CharField(
        max_length=30, choices=UnitType.choices, help_text="Drives the proxy targets for the unit's staff."
    )

    class Meta:
        ordering = ["area__name", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="unit_name_unique_in_area")]

    def __str__(self):
        return f"{self.name} ({self.area})"


@audited()
class Team(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=150)

    class Meta:
        ordering = ["unit__area__name", "unit__name", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="team_name_unique_in_unit")]

    def __str__(self):
        return f"{self.name}, {self.unit.name}"


class PersonManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("A person needs an e-mail address to log in.")
        person = self.model(email=login_name(email), **fields)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        # The very name throttling counts (organisation/login.py), compared with the stored address lower-cased
        # (as its unique constraint is): no other spelling of an account logs in under a count of its own.
        return self.alias(email_lower=Lower("email")).get(email_lower=login_name(username))


class RoleType(models.TextChoices):
    NON_ADVOCACY = "non_advocacy", "Non-advocacy (office-based lawyer)"
    ADVOCACY = "advocacy", "Advocacy (court-based advocate)"


@audited(exclude=["password", "last_login"])
class Person(AbstractBaseUser, PermissionsMixin):
    """A member of staff. Logs in with their e-mail address."""

    email = models.EmailField("e-mail address", max_length=254, unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True, help_text="e.g. Senior Crown Prosecutor, DCP.")
    role_type = models.CharField(
        max_length=20,
        choices=RoleType.choices,
        default=RoleType.NON_ADVOCACY,
        help_text="Sets which proxy target applies to the person.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the administration site.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "people"
        constraints = [models.UniqueConstraint(Lower("email"), name="person_email_unique_ignoring_case")]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.email.lower()

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


def in_force_on(day, prefix=""):
    """Rows whose starts_on..ends_on (open-ended when empty) covers the day; prefix reaches them via a relation."""
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day})
    )


class DatedQuerySet(models.QuerySet):
    def active_on(self, day):
        return self.filter(in_force_on(day))


@audited()
class TeamMembership(models.Model):
    """A person in post in a team from one date to another (open-ended while they are still there)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Leave empty while the person is in post.")

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_it_starts",
                violation_error_message="A membership cannot end before it starts.",
            )
        ]
        indexes = [models.Index(fields=["team", "starts_on", "ends_on"])]

    def __str__(self):
        return f"{self.person} in {self.team.name} from {self.starts_on}"


class Role(models.TextChoices):
    ASSESSOR = "assessor", "Assessor"
    DIP_SAMPLER = "dip_sampler", "Dip sampler"
    PERFORMANCE_VIEWER = "performance_viewer", "Performance viewer"
    COMMENTS_VIEWER = "comments_viewer", "Comments viewer"
    CASE_SCRUTINY = "case_scrutiny", "Case scrutiny"
    NATIONAL_VIEWER = "national_viewer", "National viewer"
    QUESTION_SET_ADMIN = "question_set_admin", "Question set administrator"


class PurviewLevel(models.TextChoices):
    TEAM = "team", "Team"
    UNIT = "unit", "Unit"
    AREA = "area", "Area"
    NATIONAL = "national", "National"


PLACES = ("team", "unit", "area")


def purview_level_constraint(
    name: str, *, message: str, levels: tuple[str, ...] = tuple(PurviewLevel.values)
) -> models.CheckConstraint:
    """A row's level (one of `levels`) names exactly the one place it calls for, and only that: a team for a team,
    a unit for a unit, an area for an area, none for the nation. For any model with `level`, `team`, `unit` and
    `area` fields (role grants, target overrides)."""
    condition = reduce(
        or_, (Q(level=level, **{f"{place}__isnull": place != level for place in PLACES}) for level in levels)
    )
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)


@audited()
class RoleGrant(models.Model):
    """A role held over a purview: one team, one unit, one area, or the whole organisation."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=30, choices=Role.choices)
    level = models.CharField("purview", max_length=10, choices=PurviewLevel.choices)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="role_grants")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="role_grants")
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.CASCADE, related_name="role_grants")
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["person__full_name", "role"]
        constraints = [
            # The purview names exactly the one place its level calls for.
            purview_level_constraint(
                "role_grant_purview_matches_level",
                message="Choose the team, unit or area that the purview level calls for, and only that.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="role_grant_ends_after_it_starts",
                violation_error_message="A role grant cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.get_role_display()} over {self.purview_name}"

    @property
    def purview_name(self):
        if self.level == PurviewLevel.NATIONAL:
            return "the whole organisation"
        return str(self.team or self.unit or self.area)


class AccessLogEntry(models.Model):
    """Who viewed whose individual performance data. Append-only: the database refuses edits and deletes."""

    viewer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="access_log_entries")
    viewed_at = models.DateTimeField(default=timezone.now, db_index=True)
    what = models.CharField(max_length=200, help_text="The page or export that showed the data.")
    purpose = models.CharField(max_length=30, blank=True, help_text="The role the viewer used, if any.")

    class Meta:
        ordering = ["-viewed_at"]
        verbose_name_plural = "access log entries"
        triggers = [
            pgtrigger.Protect(name="access_log_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.viewer} viewed {self.subject} ({self.what}) at {self.viewed_at:%Y-%m-%d %H:%M}"


class FormSubmission(models.Model):
    """A create form's one-time token, claimed by the post that created its record, so that a second post of the
    same form (a double click, a resend, a second tab) finds that record instead of making another
    (organisation/once.py)."""

    token = models.UUIDField(primary_key=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    record_type = models.ForeignKey(ContentType, null=True, on_delete=models.CASCADE, related_name="+")
    record_id = models.PositiveBigIntegerField(null=True)
    record = GenericForeignKey("record_type", "record_id")
    submitted_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Form {self.token} by {self.person_id} at {self.submitted_at:%Y-%m-%d %H:%M}"
