import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from learning.roles import ROLE_GROUP_NAMES, Role, role_group

pytestmark = pytest.mark.django_db(transaction=True)


def test_migrate_creates_every_role_group_with_permissions_of_apps_migrated_after_learning():
    Group.objects.all().delete()
    call_command("migrate", verbosity=0)
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLE_GROUP_NAMES.values())
    editor = set(role_group(Role.EDITOR).permissions.values_list("content_type__app_label", "codename"))
    assert ("quizzes", "change_scenarioquestion") in editor
    assert ("classroom", "change_classroomdeck") in editor
    assert ("interactive", "add_h5pactivity") in editor
    admin = set(role_group(Role.ADMINISTRATOR).permissions.values_list("codename", flat=True))
    assert "change_trainingtarget" in admin
