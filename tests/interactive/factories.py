"""Factories of the interactive app's tests."""

from __future__ import annotations

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from interactive.models import H5PActivity

from .h5p_builders import forebyg_package


class H5PActivityFactory(DjangoModelFactory):
    """A PENDING activity with an uploaded (not yet checked) package."""

    class Meta:
        model = H5PActivity

    title = factory.Sequence(lambda n: f"Videnstjek {n}")
    slug = factory.Sequence(lambda n: f"videnstjek-{n}")
    package = factory.LazyFunction(lambda: ContentFile(forebyg_package(), name="pakke.h5p"))


def ready_activity(**kwargs) -> H5PActivity:
    """An activity processed by the real service: checked, extracted, READY."""
    from interactive.services import h5p_activity_process

    activity = H5PActivityFactory(**kwargs)
    return h5p_activity_process(activity=activity, at=timezone.now())
