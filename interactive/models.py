"""H5P activities: an uploaded package, checked and extracted by a background task, played sandboxed."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class H5PActivity(index.Indexed, models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Venter på kontrol")
        READY = "ready", _("Klar")
        REJECTED = "rejected", _("Afvist")

    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("kort navn"), max_length=100, unique=True)
    # The public id used in playback URLs; never the database id.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    package = models.FileField(_("H5P-pakke (.h5p)"), upload_to="h5p/uploads/", blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.TextField(_("årsag til afvisning"), blank=True)
    main_library = models.CharField(_("hovedbibliotek"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    panels = [FieldPanel("title"), FieldPanel("slug"), FieldPanel("package")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["title"]
        verbose_name = _("H5P-aktivitet")
        verbose_name_plural = _("H5P-aktiviteter")

    def __str__(self) -> str:
        return self.title
