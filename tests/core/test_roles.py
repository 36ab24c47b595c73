"""Editors draft, moderators review, publishers publish: as a comms team would expect."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.core.roles import assign_device_workflow, ensure_roles
from tests.factories import DevicePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles(site_tree):
    home, register = site_tree
    ensure_roles(home)
    assign_device_workflow(register)
    return register


def member_of(group_name):
    user = get_user_model().objects.create_user(
        username=group_name.lower(), password="correct horse battery staple"
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.mark.parametrize(
    ("group", "can_publish"),
    [("Editors", False), ("Moderators", True), ("Publishers", True)],
)
def test_who_may_publish_a_device(roles, group, can_publish):
    device = DevicePageFactory(parent=roles)
    user = member_of(group)
    permissions = device.permissions_for_user(user)
    assert permissions.can_edit()
    assert permissions.can_publish() is can_publish


def test_only_publishers_may_delete_devices(roles):
    device = DevicePageFactory(parent=roles)
    assert not device.permissions_for_user(member_of("Editors")).can_delete()
    assert device.permissions_for_user(member_of("Publishers")).can_delete()


def test_an_editor_submits_a_device_for_moderation(roles, client):
    device = DevicePageFactory(parent=roles)
    client.force_login(member_of("Editors"))
    response = client.get(reverse("wagtailadmin_pages:edit", args=(device.pk,)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Submit to Device review" in html
    assert 'name="action-publish"' not in html
