"""The portal's staff roles and the moderation workflow for device pages.

Editors draft; moderators review what is submitted (pages, citizen-science readings and
survey comments); publishers can publish directly and approve, look after campaign sites and
make participation codes for surveys. Kept as code, so every install and every test gets the
same roles.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext as _
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowPage

EDITORS = "Editors"
MODERATORS = "Moderators"
PUBLISHERS = "Publishers"

PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    MODERATORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    PUBLISHERS: [
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
        "delete_page",
    ],
}
MODEL_PERMISSIONS = {
    EDITORS: [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.choose_document",
    ],
    MODERATORS: [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.choose_document",
        "registry.add_organisation",
        "registry.change_organisation",
        # Moderating citizen-science readings: change_reading is the right to decide on one.
        "citizen_science.view_reading",
        "citizen_science.change_reading",
        "citizen_science.view_site",
        # Moderating survey comments; viewing responses is for the export (never one by one).
        "surveys.change_freetextanswer",
        "surveys.view_response",
    ],
    PUBLISHERS: [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "registry.add_organisation",
        "registry.change_organisation",
        "registry.delete_organisation",
        "core.change_councilsettings",
        "citizen_science.view_reading",
        "citizen_science.change_reading",
        "citizen_science.view_site",
        "citizen_science.add_site",
        "citizen_science.change_site",
        "surveys.change_freetextanswer",
        "surveys.view_response",
        # Making participation codes for postal invitations.
        "surveys.add_participationcode",
    ],
}
WORKFLOW_NAME = "Device review"


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_roles(root: Page) -> dict[str, Group]:
    """Create or update the three groups and the device workflow under ``root``. Idempotent."""
    groups = {}
    for name, page_codenames in PAGE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*(_permission(p) for p in MODEL_PERMISSIONS[name]))
        for codename in page_codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        groups[name] = group

    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    task, _created = GroupApprovalTask.objects.get_or_create(name=_("Moderator review"))
    task.groups.set([groups[MODERATORS], groups[PUBLISHERS]])
    if not workflow.workflow_tasks.filter(task=task).exists():
        workflow.workflow_tasks.create(task=task, sort_order=0)
    return groups


def assign_device_workflow(register: Page) -> None:
    """Every page under the register goes through moderator review before publication."""
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    WorkflowPage.objects.update_or_create(page=register, defaults={"workflow": workflow})
