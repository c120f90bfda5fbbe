"""Nothing about a pupil beyond a hashed random token and a fixed-list nickname is stored."""

import pytest
from django.apps import apps
from django.db import models


@pytest.mark.parametrize(
    ("model_name", "fields"),
    [
        ("Participant", {"id", "session", "token_hash", "nickname", "removed", "joined_at"}),
        ("Vote", {"id", "session", "participant", "step_index", "option_key"}),
        ("StepResult", {"id", "session", "step_index", "option_key", "count"}),
    ],
)
def test_pupil_data_is_exactly_the_anonymous_fields(model_name, fields):
    """A new field (an IP address, a user agent, a name …) must fail here and be argued for."""
    model = apps.get_model("classroom", model_name)
    assert {field.name for field in model._meta.concrete_fields} == fields


def test_no_classroom_model_stores_an_ip_address_or_user_agent():
    for model in apps.get_app_config("classroom").get_models():
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.GenericIPAddressField), (model, field.name)
            assert "agent" not in field.name and not field.name.endswith("_ip"), (model, field.name)


@pytest.mark.django_db
def test_join_and_vote_do_not_log_the_client(client, caplog):
    from django.utils import timezone

    from .factories import make_teacher, start_session

    session = start_session(at=timezone.now(), teacher=make_teacher())
    with caplog.at_level("DEBUG"):
        client.post("/deltag/", {"code": session.join_code}, REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Secret/1.0")
    assert "203.0.113.7" not in caplog.text and "Secret/1.0" not in caplog.text
