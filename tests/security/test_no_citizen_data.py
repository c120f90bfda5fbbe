"""No real citizen data: every free-text field of our apps refuses a CPR number, and a refused CPR
number never reaches the logs or the audit log."""

import logging

import pytest
from django.apps import apps
from django.db import models
from wagtail import blocks
from wagtail.fields import StreamField

from learning.models import AuditEvent, Municipality
from learning.roles import Role
from learning.validators import validate_no_cpr
from tests.factories import MunicipalityFactory, UserFactory

OUR_APPS = ["learning", "courses", "quizzes", "certificates", "classroom", "coverage", "interactive"]

# Text fields that are not free text a person types, so a CPR check would be meaningless there.
# Every entry says why. Field types that cannot hold prose (slug, e-mail, URL, choices, fields nobody
# edits) are left out generically in `_is_free_text`.
NOT_FREE_TEXT = {
    "learning.User.password": "password hash",
    "learning.AuditEvent.action": "action code set by code",
    "learning.AuditEvent.target_type": "model label set by code",
    "learning.AuditEvent.target_id": "primary key set by code",
    "quizzes.QuizAttempt.rules_version": "version string of the routing rules",
    "quizzes.QuizAnswer.first_action": "action code from a fixed list",
    "quizzes.QuizAnswer.level": "level code from a fixed list",
    "quizzes.QuizAnswer.urgency": "urgency code from a fixed list",
    "certificates.Certificate.language": "language code",
    "certificates.Certificate.rules_version": "version string of the routing rules",
    "certificates.Certificate.learner_name": "snapshot of the user's (validated) name at issue",
    "certificates.Certificate.course_title": "snapshot of the course page title at issue",
    "certificates.SigningKey.kid": "key id",
    "certificates.SigningKey.private_key_encrypted": "encrypted key material",
    "interactive.H5PActivity.rejection_reason": "error message written by the package validator, not a person",
    "interactive.H5PActivity.main_library": "H5P library machine name from the package",
    "interactive.XAPIStatement.verb": "xAPI verb IRI",
    "classroom.LiveSession.deck_title": "snapshot of the (validated) deck title",
    "classroom.LiveSession.join_code": "generated join code",
    "classroom.Participant.token_hash": "hash of the pupil's token",
    "classroom.Vote.option_key": "option key from the deck",
    "classroom.StepResult.option_key": "option key from the deck",
    "coverage.RosterUpload.filename": "file name of an uploaded roster",
}
TEXT_BLOCKS = (blocks.CharBlock, blocks.TextBlock, blocks.RichTextBlock, blocks.RawHTMLBlock)


def _is_free_text(field: models.Field) -> bool:
    return (
        isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.SlugField | models.EmailField | models.URLField)
        and not field.choices
        and field.editable
    )


def _block_leaves(block: blocks.Block, path: str):
    if isinstance(block, blocks.StreamBlock | blocks.StructBlock):
        for name, child in block.child_blocks.items():
            yield from _block_leaves(child, f"{path}.{name}")
    elif isinstance(block, blocks.ListBlock):
        yield from _block_leaves(block.child_block, f"{path}[]")
    elif isinstance(block, TEXT_BLOCKS):
        yield path, block


def free_text_without_cpr_check(app_label: str) -> list[str]:
    missing = []
    for model in apps.get_app_config(app_label).get_models():
        for field in model._meta.local_concrete_fields:
            name = f"{model._meta.label}.{field.name}"
            if _is_free_text(field) and name not in NOT_FREE_TEXT and validate_no_cpr not in field.validators:
                missing.append(name)
            if isinstance(field, StreamField):
                for path, block in _block_leaves(field.stream_block, name):
                    if validate_no_cpr not in block.field.validators:
                        missing.append(f"{path} ({type(block).__name__})")
    return missing


def test_the_walk_finds_fields_and_blocks():
    """Guard against a walk that silently checks nothing."""
    checked = [
        f"{model._meta.label}.{field.name}"
        for label in OUR_APPS
        for model in apps.get_app_config(label).get_models()
        for field in model._meta.local_concrete_fields
        if _is_free_text(field)
    ]
    assert "learning.ContactPoint.name" in checked
    assert "quizzes.ScenarioQuestion.story" in checked
    stream_leaves = list(_block_leaves(apps.get_model("classroom", "ClassroomDeck")._meta.get_field("steps").stream_block, "steps"))
    assert any(path.endswith("options[].text") for path, _block in stream_leaves)


@pytest.mark.parametrize("app_label", OUR_APPS)
def test_every_free_text_field_refuses_a_cpr_number(app_label):
    missing = free_text_without_cpr_check(app_label)
    assert not missing, (
        f"Fritekstfelter i {app_label} uden learning.validators.validate_no_cpr "
        f"(tilføj validatoren, eller før feltet på NOT_FREE_TEXT med en begrundelse): {missing}"
    )


@pytest.mark.django_db
def test_a_refused_cpr_number_is_never_logged(client, roles, caplog):
    """An administrator types a CPR number into a municipality's opening hours in the Wagtail admin."""
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    municipality = MunicipalityFactory(slug="cprtest", name="Cprtest Kommune")
    client.force_login(admin)
    cpr = "010190-1234"
    url = f"/admin/snippets/learning/municipality/edit/{municipality.pk}/"
    form = client.get(url)
    assert form.status_code == 200
    caplog.set_level(logging.DEBUG)
    response = client.post(
        url,
        {
            "name": municipality.name,
            "slug": municipality.slug,
            "opening_hours": f"Ring til {cpr}",
            "procedure_source": "",
            "contact_points-TOTAL_FORMS": "0",
            "contact_points-INITIAL_FORMS": "0",
            "contact_points-MIN_NUM_FORMS": "0",
            "contact_points-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200  # the form comes back with the error, nothing saved
    assert "CPR-nummer" in response.content.decode()
    assert Municipality.objects.get(pk=municipality.pk).opening_hours == ""
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "010190" not in logged
    assert not AuditEvent.objects.filter(detail__icontains="010190").exists()


def test_the_shared_text_block_refuses_a_cpr_number_in_rich_text():
    from django.core.exceptions import ValidationError
    from wagtail.rich_text import RichText

    from learning.blocks import TextBlock

    with pytest.raises(ValidationError):
        TextBlock().clean(RichText("<p>Barnets cpr er <b>010190-1234</b></p>"))
    assert TextBlock().clean(RichText("<p>Ring til SSP på 12 34 56 78.</p>")).source
