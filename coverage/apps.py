from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _invitation_accepted(sender, request, user, **_kwargs) -> None:
    from django.utils import timezone

    from .roster import invitation_accept

    invitation_accept(user=user, at=timezone.now())


def _municipality_figures_changed(sender, instance, **_kwargs) -> None:
    """A department (its name shows in the breakdown) or a training target was saved or deleted."""
    from .figures_cache import coverage_figures_changed

    coverage_figures_changed(municipality_ids=[instance.municipality_id])


def _municipality_changed(sender, instance, **_kwargs) -> None:
    """A municipality was added, renamed or removed: its figures and the national overview change."""
    from .figures_cache import coverage_figures_changed

    coverage_figures_changed(municipality_ids=[instance.pk])


def _target_relations_changed(sender, instance, **_kwargs) -> None:
    """A target's courses or audience departments changed (outside a save of the target itself)."""
    from .models import TrainingTarget

    if isinstance(instance, TrainingTarget):
        _municipality_figures_changed(sender, instance)


class CoverageConfig(AppConfig):
    """Training coverage against each municipality's target: dashboard, roster, reminders, reports."""

    name = "coverage"
    verbose_name = _("Uddannelsesdækning")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from allauth.account.signals import password_reset

        password_reset.connect(_invitation_accepted, dispatch_uid="coverage_invitation_accepted")
        # Cache invalidation only (coverage.figures_cache): the figures are recomputed on the next read.
        for model in (self.get_model("TrainingTarget"), apps.get_model("learning", "Department")):
            for signal in (post_save, post_delete):
                signal.connect(
                    _municipality_figures_changed, sender=model, dispatch_uid=f"coverage_figures_{model.__name__}"
                )
        for signal in (post_save, post_delete):
            signal.connect(
                _municipality_changed, sender=apps.get_model("learning", "Municipality"),
                dispatch_uid="coverage_figures_Municipality",
            )
        m2m_changed.connect(_target_relations_changed, dispatch_uid="coverage_figures_target_relations")
