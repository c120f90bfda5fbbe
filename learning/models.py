"""Accounts and organisations: municipality → departments → staff (users with a job role)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from .rules import ACTIONS, CONTACT_ACTIONS
from .validators import validate_no_cpr


class Municipality(ClusterableModel):
    """A municipality using the platform, with its local procedure for radicalisation concerns.

    The procedure flags and the contact points (``contact_points``) are the routing rules' directory,
    edited by administrators in the Wagtail admin; ``learning.directory.directory_current`` reads them.
    """

    slug = models.SlugField(_("kort navn"), max_length=40, unique=True, help_text=_("Fx koege, ishoej, roedovre."))
    name = models.CharField(_("navn"), max_length=100, unique=True, validators=[validate_no_cpr])
    leader_first = models.BooleanField(
        _("medarbejderen går først til sin leder"),
        default=False,
        help_text=_("Sæt kryds, hvis kommunens procedure siger, at en medarbejder altid først informerer sin leder."),
    )
    child_also_local_unit = models.BooleanField(
        _("bekymring for børn går også til den lokale enhed"),
        default=False,
        help_text=_("Sæt kryds, hvis en begrundet bekymring for et barn under 18 år også sendes til den lokale enhed."),
    )
    opening_hours = models.CharField(
        _("åbningstid"), max_length=200, blank=True, validators=[validate_no_cpr]
    )
    procedure_source = models.CharField(
        _("kilde til proceduren"),
        max_length=200,
        blank=True,
        validators=[validate_no_cpr],
        help_text=_("Kildedokument og afsnit, fx »002 §5«."),
    )

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


class ContactPoint(Orderable):
    """Whom to contact in a municipality for one routing action (optionally only for an age range)."""

    class AppliesTo(models.TextChoices):
        ANY = "any", _("Alle")
        EMPLOYEE = "employee", _("Offentligt ansatte")
        CITIZEN = "citizen", _("Borgere")

    municipality = ParentalKey(
        Municipality, on_delete=models.CASCADE, related_name="contact_points", verbose_name=_("kommune")
    )
    action = models.CharField(
        _("handling"), max_length=40, choices=[(code, ACTIONS[code].label_da) for code in CONTACT_ACTIONS]
    )
    name = models.CharField(_("navn"), max_length=200, validators=[validate_no_cpr])
    phone = models.CharField(_("telefon"), max_length=40, blank=True, validators=[validate_no_cpr])
    email = models.EmailField(_("e-mail"), blank=True)
    hours = models.CharField(_("åbningstid"), max_length=200, blank=True, validators=[validate_no_cpr])
    min_age = models.PositiveSmallIntegerField(
        _("fra alder"), null=True, blank=True, help_text=_("Tom: ingen nedre grænse.")
    )
    max_age = models.PositiveSmallIntegerField(
        _("til og med alder"), null=True, blank=True, help_text=_("Tom: ingen øvre grænse.")
    )
    applies_to = models.CharField(
        _("gælder for"), max_length=10, choices=AppliesTo.choices, default=AppliesTo.ANY
    )
    source = models.CharField(
        _("kilde"), max_length=100, validators=[validate_no_cpr], help_text=_("Kildedokument, fx »003«.")
    )

    panels = [
        FieldPanel("action"),
        FieldPanel("name"),
        FieldPanel("phone"),
        FieldPanel("email"),
        FieldPanel("hours"),
        FieldPanel("min_age"),
        FieldPanel("max_age"),
        FieldPanel("applies_to"),
        FieldPanel("source"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("kontaktpunkt")
        verbose_name_plural = _("kontaktpunkter")

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValidationError({"max_age": _("»Til og med alder« må ikke være lavere end »fra alder«.")})


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
    name = models.CharField(_("navn"), max_length=150, validators=[validate_no_cpr])
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
    first_name = models.CharField(_("fornavn"), max_length=150, blank=True, validators=[validate_no_cpr])
    last_name = models.CharField(_("efternavn"), max_length=150, blank=True, validators=[validate_no_cpr])
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


class ConcernGuidePage(Page):
    """The concern guide (Bekymringsguide): a short form whose answer comes from the routing rules.

    It stores nothing about the situation described: no session, no rows, no log lines.
    """

    intro = RichTextField(
        _("introduktion"), features=["bold", "italic", "link"], blank=True, validators=[validate_no_cpr]
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["courses.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "learning/concern_guide_page.html"

    class Meta:
        verbose_name = _("bekymringsguide")
        verbose_name_plural = _("bekymringsguider")

    def serve(self, request, *args, **kwargs):
        from .views_guide import concern_guide_serve  # the view imports the models: import at call time

        return concern_guide_serve(page=self, request=request)


class AuditEvent(models.Model):
    """Who did what to whom: sign-ins, second-factor changes, exports, erasures (learning.audit).

    No free text from users is stored here; ``detail`` holds identifiers and counts, never the content
    of a form or a person's name.
    """

    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("aktør")
    )
    action = models.CharField(_("handling"), max_length=60, db_index=True)
    target_type = models.CharField(_("objekttype"), max_length=100, blank=True)
    target_id = models.CharField(_("objekt-id"), max_length=64, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kommune"),
    )
    detail = models.JSONField(_("detaljer"), default=dict, blank=True)
    at = models.DateTimeField(_("tidspunkt"), db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("revisionshændelse")
        verbose_name_plural = _("revisionslog")
        indexes = [models.Index(fields=["target_type", "target_id"], name="auditevent_target_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"
