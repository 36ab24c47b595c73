"""`manage.py ensure_roles` sets up the staff groups on an install without the demo."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_groups_and_reading_permissions_are_created_and_rerunning_is_safe():
    for _run in range(2):
        out = io.StringIO()
        call_command("ensure_roles", stdout=out)
    assert "Editors, Moderators, Publishers" in out.getvalue()
    moderators = Group.objects.get(name="Moderators")
    assert moderators.permissions.filter(codename="change_reading").exists()
    assert Group.objects.count() == 3
