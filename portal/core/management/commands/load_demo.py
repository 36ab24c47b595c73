"""Load the fictional London Borough of Millbrook. Safe to run again: it updates in place."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page, Site

from portal.assessments.models import (
    AlgorithmDataSource,
    AlgorithmRecordPage,
    AlgorithmRisk,
    AlgorithmSupplier,
    AssessmentIndexPage,
    DpiaPage,
    DpiaRisk,
    SignOff,
    SupplierAnswer,
    SupplierAssurance,
)
from portal.core.demo.assessments import (
    ALGORITHM_RECORDS,
    DPIAS,
    SIGN_OFFS,
    SUPPLIER_ASSURANCES,
)
from portal.core.demo.borough import COUNCIL, DEVICES, ORGANISATIONS, chain
from portal.core.demo.pages import STANDARD_PAGES
from portal.core.demo.science import load_science
from portal.core.demo.surveys import load_surveys
from portal.core.models import CouncilSettings, StandardPage
from portal.core.roles import EDITORS, MODERATORS, PUBLISHERS, assign_device_workflow, ensure_roles
from portal.home.models import HomePage
from portal.home.setup import site_home_page
from portal.registry.models import DeviceIndexPage, DeviceOrganisation, DevicePage, Organisation

DEMO_PASSWORD = "plainsight-demo"
DEMO_USERS = {"admin": None, "editor": EDITORS, "moderator": MODERATORS, "publisher": PUBLISHERS}


def _publish(page: Page) -> None:
    page.save_revision().publish()


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


class Command(BaseCommand):
    help = (
        "Load the demo borough (Millbrook): settings, pages, organisations, devices, users, "
        "citizen science, surveys."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-users", action="store_true", help="Do not create the demo sign-in accounts."
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        home = self._home()
        site = Site.objects.get(is_default_site=True)
        council, _created = CouncilSettings.objects.get_or_create(site=site)
        council.council_name = COUNCIL
        council.contact_email = "smartstreets@millbrook.example"
        council.contact_phone = "020 7946 0123"
        council.website = "https://www.millbrook.example"
        council.save()

        for spec in STANDARD_PAGES:
            self._standard_page(home, spec)
        register = self._register(home)
        organisations = {
            spec["name"]: Organisation.objects.update_or_create(name=spec["name"], defaults=spec)[0]
            for spec in ORGANISATIONS
        }
        for spec in DEVICES:
            self._device(register, spec, organisations)

        self._assessments(home)
        ensure_roles(home)
        assign_device_workflow(register)
        if not options["no_users"]:
            self._users()
        # After the users, so that readings already checked name the demo moderator.
        science = load_science(home, _publish)
        surveys = load_surveys(home, _publish)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo borough loaded: {DevicePage.objects.live().count()} devices, "
                f"{Organisation.objects.count()} organisations."
            )
        )
        self.stdout.write(science.summary())
        self.stdout.write(surveys.summary())
        if not options["no_users"]:
            self.stdout.write(
                "Sign in at /admin/ as 'admin' (or 'editor', 'moderator', 'publisher') "
                f"with the password '{DEMO_PASSWORD}'. These accounts are for the demo only."
            )

    def _home(self) -> HomePage:
        home = site_home_page()
        home.title = "Technology in Millbrook's streets"
        home.introduction = (
            "Millbrook Borough Council lists every camera, sensor and smart device it puts in "
            "public space. Find out what each one does, what data it collects and who to ask."
        )
        _publish(home)
        # Publishing saves a copy built from the revision; reload so that children added
        # below take the new URL path (/home/…), not the placeholder's.
        home.refresh_from_db()
        return home

    def _standard_page(self, home: HomePage, spec: dict[str, Any]) -> None:
        page = StandardPage.objects.child_of(home).filter(slug=spec["slug"]).first()
        if page is None:
            page = home.add_child(instance=StandardPage(title=spec["title"], slug=spec["slug"]))
        page.title = spec["title"]
        page.introduction = spec["introduction"]
        page.body = spec["body"]
        page.show_in_menus = True
        _publish(page)

    def _register(self, home: HomePage) -> DeviceIndexPage:
        register = DeviceIndexPage.objects.child_of(home).first()
        if register is None:
            register = home.add_child(instance=DeviceIndexPage(title="Devices", slug="devices"))
        register.introduction = (
            "Every connected device the council and its partners have put in Millbrook's "
            "streets, parks and public buildings."
        )
        _publish(register)
        return register

    def _device(
        self,
        register: DeviceIndexPage,
        spec: dict[str, Any],
        organisations: dict[str, Organisation],
    ) -> None:
        page = DevicePage.objects.child_of(register).filter(slug=spec["slug"]).first()
        is_new = page is None
        if is_new:
            page = DevicePage(slug=spec["slug"])
        page.title = spec["title"]
        page.summary = spec["summary"]
        page.status = spec["status"]
        page.latitude = Decimal(spec["lat"])
        page.longitude = Decimal(spec["lon"])
        page.area = spec["area"]
        page.location_description = spec["where"]
        page.installed_on = _date(spec.get("installed"))
        page.review_by = _date(spec.get("review"))
        page.retired_on = _date(spec.get("retired"))
        page.status_since = _date(spec.get("since")) or page.retired_on or page.installed_on
        page.outcome = spec.get("outcome", "")
        page.if_had_then = spec.get("if_had_then", "")
        page.insight = spec.get("insight", "")
        page.data_needed = spec.get("data_needed", "")
        page.datachain = spec["chain"]
        page.accountable_organisations = [
            DeviceOrganisation(organisation=organisations[name], sort_order=order)
            for order, name in enumerate(spec["organisations"])
        ]
        # The demo obeys the same datachain rules as the editor.
        page.datachain.stream_block.clean(page.datachain)
        if is_new:
            register.add_child(instance=page)
        _publish(page)

    def _assessments(self, home: HomePage) -> None:
        index = AssessmentIndexPage.objects.child_of(home).first()
        if index is None:
            index = home.add_child(
                instance=AssessmentIndexPage(title="Assessments", slug="assessments")
            )
        index.introduction = (
            "What the council assessed before putting technology in public space. Parts withheld "
            "for security or privacy say so, and why."
        )
        _publish(index)
        for spec in DPIAS:
            page = DpiaPage.objects.child_of(index).filter(slug=spec["slug"]).first()
            is_new = page is None
            if is_new:
                page = DpiaPage(slug=spec["slug"])
            page.title = spec["title"]
            page.summary = spec["summary"]
            page.review_by = datetime.date.fromisoformat(spec["review_by"])
            for name, (text, level, reason) in spec["steps"].items():
                setattr(page, name, text)
                setattr(page, f"{name}_level", level)
                setattr(page, f"{name}_reason", reason)
            page.devices = list(DevicePage.objects.filter(slug__in=spec["devices"]))
            page.risks = [
                DpiaRisk(
                    risk=risk,
                    likelihood=likelihood,
                    severity=severity,
                    overall=overall,
                    measures=measures,
                    effect=effect,
                    residual=residual,
                    approved=True,
                    publication_level=level,
                    redaction_reason=reason,
                )
                for (
                    risk,
                    likelihood,
                    severity,
                    overall,
                    measures,
                    effect,
                    residual,
                    level,
                    reason,
                ) in spec["risks"]
            ]
            page.sign_offs = [
                SignOff(
                    kind=kind,
                    role=role,
                    date=datetime.date(2025, 1, 15),
                    advice_outcome="accepted" if kind == "dpo" else "",
                )
                for kind, role in SIGN_OFFS
            ]
            if is_new:
                index.add_child(instance=page)
            _publish(page)
        for spec in ALGORITHM_RECORDS:
            self._algorithm_record(index, spec)
        for spec in SUPPLIER_ASSURANCES:
            self._supplier_assurance(spec)

    def _algorithm_record(self, index: AssessmentIndexPage, spec: dict[str, Any]) -> None:
        page = AlgorithmRecordPage.objects.child_of(index).filter(slug=spec["slug"]).first()
        is_new = page is None
        if is_new:
            page = AlgorithmRecordPage(slug=spec["slug"])
        scalars = {
            key: value
            for key, value in spec.items()
            if isinstance(value, str) and key not in {"slug", "date_completion"}
        }
        for key, value in scalars.items():
            setattr(page, key, value)
        page.date_completion = datetime.date.fromisoformat(spec["date_completion"])
        page.suppliers = [
            AlgorithmSupplier(
                external_supplier=name,
                external_supplier_identifier=number,
                external_supplier_role=role,
                data_access_terms=terms,
            )
            for name, number, role, terms in spec["suppliers"]
        ]
        page.data_sources = [
            AlgorithmDataSource(
                source_data_name=name,
                source_data_description=description,
                data_collection=collection,
                data_sharing_agreements=sharing,
                data_access_and_storage=storage,
            )
            for name, description, collection, sharing, storage in spec["data_sources"]
        ]
        page.risks = [
            AlgorithmRisk(risk_name=name, risk_description=description, risk_mitigation=mitigation)
            for name, description, mitigation in spec["risks"]
        ]
        page.devices = list(DevicePage.objects.filter(slug__in=spec["devices"]))
        page.dpias = list(DpiaPage.objects.filter(slug__in=spec["dpias"]))
        page.ai_datachain = chain(*spec["ai_chain"])
        # The demo obeys the same rules as the editor.
        page.ai_datachain.stream_block.clean(page.ai_datachain)
        if is_new:
            index.add_child(instance=page)
        _publish(page)

    def _supplier_assurance(self, spec: dict[str, Any]) -> None:
        assurance, _created = SupplierAssurance.objects.update_or_create(
            device=DevicePage.objects.get(slug=spec["device"]),
            supplier=Organisation.objects.get(name=spec["supplier"]),
            defaults={
                "assessed_on": datetime.date.fromisoformat(spec["assessed_on"]),
                "public_summary": spec["summary"],
                "manufacturer": spec["manufacturer"],
                "support_ends_on": datetime.date.fromisoformat(spec["support_ends_on"]),
                "vulnerability_contact": spec["vulnerability_contact"],
            },
        )
        assurance.answers = [
            SupplierAnswer(
                question=question,
                answer=answer,
                evidence=evidence,
                evidence_level=level,
                evidence_reason=reason,
                sort_order=order,
            )
            for order, (question, answer, evidence, level, reason) in enumerate(spec["answers"])
        ]
        for answer in assurance.answers.all():
            answer.full_clean(exclude=["assurance"])
        assurance.save()

    def _users(self) -> None:
        users = get_user_model()
        for username, group_name in DEMO_USERS.items():
            user, _created = users.objects.get_or_create(
                username=username, defaults={"email": f"{username}@millbrook.example"}
            )
            user.is_superuser = user.is_staff = group_name is None
            # The printed credentials must always work, so the password is reset each run.
            user.set_password(DEMO_PASSWORD)
            user.save()
            if group_name:
                user.groups.set([Group.objects.get(name=group_name)])
