"""Accounts and organisations: municipality → departments → staff (users with a job role)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Municipality(models.Model):
    """A municipality using the platform. Its contact directory and procedure live with the routing rules."""

    slug = models.SlugField(_("kort navn"), max_length=40, unique=True, help_text=_("Fx koege, ishoej, roedovre."))
    name = models.CharField(_("navn"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        permissions = [
            ("view_coverage", _("Kan se uddannelsesdækning for egen kommune")),
            ("manage_roster", _("Kan importere og invitere medarbejdere i egen kommune")),
            ("run_classroom", _("Kan køre klasseforløb med elever")),
        ]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A department or workplace in a municipality (a school, the job centre, Familieafdelingen …)."""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("Skole")
        DAYCARE = "daycare", _("Dagtilbud")
        CLUB = "club", _("Klub og fritid")
        FAMILY = "family", _("Børn og familie")
        JOBCENTRE = "jobcentre", _("Jobcenter")
        SOCIAL = "social", _("Social- og voksenområdet")
        HEALTH = "health", _("Sundhed")
        CULTURE = "culture", _("Kultur og bibliotek")
        SSP = "ssp", _("SSP og kriminalitetsforebyggelse")
        OTHER = "other", _("Andet")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="departments", verbose_name=_("kommune")
    )
    name = models.CharField(_("navn"), max_length=150)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        ordering = ["municipality__name", "name"]
        verbose_name = _("afdeling")
        verbose_name_plural = _("afdelinger")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="unique_department_name_per_municipality")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality.name})"


class JobRole(models.TextChoices):
    TEACHER = "teacher", _("Lærer")
    PEDAGOGUE = "pedagogue", _("Pædagog")
    SOCIAL_WORKER = "social_worker", _("Socialrådgiver")
    JOBCENTRE = "jobcentre", _("Jobcentermedarbejder")
    CLUB_WORKER = "club_worker", _("Klub- og fritidsmedarbejder")
    HEALTH = "health", _("Sundhedsplejerske")
    SSP_CONSULTANT = "ssp_consultant", _("SSP-konsulent")
    LEADER = "leader", _("Leder")
    OTHER = "other", _("Anden")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> User:
        if not email:
            raise ValueError("E-mail is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account. E-mail is the login; the municipality scopes everything a coordinator sees."""

    username = None
    email = models.EmailField(_("e-mail"), unique=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("kommune"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("afdeling"),
    )
    job_role = models.CharField(_("stillingsfunktion"), max_length=30, choices=JobRole.choices, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")
        ordering = ["first_name", "last_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email
