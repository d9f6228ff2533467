"""Test helpers: factories that build objects through the services, as users would.

Regions come from the migration (the national tree); tests pick real ones by code.
"""

import datetime
import itertools
from decimal import Decimal

import factory

from tiaodu.accounts import services as account_services
from tiaodu.accounts.choices import Role
from tiaodu.accounts.models import User
from tiaodu.core.validators import uscc_check_character
from tiaodu.orgs import services as org_services
from tiaodu.orgs.choices import OrganisationKind
from tiaodu.orgs.models import Official, Organisation
from tiaodu.projects import services as project_services
from tiaodu.projects.choices import Nature, Sector, Stage
from tiaodu.projects.models import Project
from tiaodu.regions.models import Region

PASSWORD = "test-pass-123"
_serial = itertools.count(1)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def make_uscc(region_code: str, serial: int) -> str:
    """A unified social credit code with a valid check character, for an enterprise in ``region_code``."""
    body = f"91{region_code}{serial:08d}X"[:17]
    body = body.replace("X", "A")
    return body + uscc_check_character(body)


def make_project_code(region_code: str, serial: int, year: int = 2024) -> str:
    return f"{year}-{region_code}-44-01-{serial:06d}"


class UserFactory(factory.django.DjangoModelFactory):
    """A login; ``grants`` is a list of (role, region or organisation) given through the account service."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.LazyAttribute(lambda o: o.username)

    @classmethod
    def _create(cls, model_class, *args, grants=(), **kwargs):
        user = account_services.user_create(actor=None, password=PASSWORD, **kwargs)
        for role, target in grants:
            if isinstance(target, Organisation):
                account_services.grant_add(actor=None, user=user, role=role, organisation=target)
            else:
                account_services.grant_add(actor=None, user=user, role=role, region=target)
        return user


def admin_of(region_obj: Region, **kwargs) -> User:
    return UserFactory(grants=[(Role.ADMIN, region_obj)], **kwargs)


def system_user() -> User:
    """A superuser to act as when setting up data that belongs to many regions."""
    user, _created = User.objects.get_or_create(username="system-setup", defaults={"is_superuser": True})
    return user


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    kind = OrganisationKind.ENTERPRISE
    region = factory.LazyFunction(lambda: region("140427"))
    credit_code = factory.LazyAttribute(lambda o: make_uscc(o.region.code, next(_serial)))

    @classmethod
    def _create(cls, model_class, *args, actor=None, **kwargs):
        return org_services.organisation_create(actor=actor or system_user(), **kwargs)


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    name = factory.Sequence(lambda n: f"领导{n}")
    title = "副市长"
    region = factory.LazyFunction(lambda: region("140400"))
    organisation = factory.LazyAttribute(
        lambda o: OrganisationFactory(region=o.region, kind=OrganisationKind.GOVERNMENT)
    )

    @classmethod
    def _create(cls, model_class, *args, actor=None, **kwargs):
        return org_services.official_create(actor=actor or system_user(), **kwargs)


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project registered through ``project_create``; pass ``stage`` and its facts for a later stage."""

    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"测试项目{n}")
    region = factory.LazyFunction(lambda: region("140427"))
    owner = factory.LazyAttribute(lambda o: OrganisationFactory(region=o.region))
    sector = Sector.INDUSTRY
    nature = Nature.NEW
    total_investment = Decimal("10000.00")
    code = factory.LazyAttribute(lambda o: make_project_code(o.region.code, next(_serial)))

    @classmethod
    def _create(cls, model_class, *args, actor=None, stage=Stage.PLANNING, **kwargs):
        if stage in (Stage.CONSTRUCTION, Stage.OPERATING, Stage.CAPACITY):
            kwargs.setdefault("actual_start_date", datetime.date(2024, 4, 1))
        if stage in (Stage.OPERATING, Stage.CAPACITY):
            kwargs.setdefault("actual_commissioning_date", datetime.date(2025, 6, 1))
        if stage == Stage.CAPACITY:
            kwargs.setdefault("capacity_date", datetime.date(2025, 10, 1))
        return project_services.project_create(actor=actor or system_user(), stage=stage, **kwargs)
