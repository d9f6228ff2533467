"""Test helpers: problems added to the shared ``world`` (two counties of 长治市), through the services."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from tiaodu.accounts.choices import Role
from tiaodu.orgs.choices import OrganisationKind
from tiaodu.testing import OrganisationFactory, UserFactory, system_user

from . import services
from .choices import ProblemSource
from .models import ProblemCategory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def png(name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def category(name: str = "用地") -> ProblemCategory:
    return ProblemCategory.objects.get(name=name)


def add_problems(w):
    """Give ``w`` problems in both counties (A's assigned to the city's 自然资源局), a county
    department of A with its user, and a notice and an attachment of B. Idempotent."""
    if getattr(w, "problem_b", None) is not None:
        return w
    actor = system_user()
    w.dept_a_org = OrganisationFactory(name="壶关县住建局", region=w.county_a, kind=OrganisationKind.DEPARTMENT)
    w.dept_a = UserFactory(username="dept_a", grants=[(Role.DEPARTMENT, w.dept_a_org)])
    w.dept_b_org = OrganisationFactory(name="长子县住建局", region=w.county_b, kind=OrganisationKind.DEPARTMENT)
    w.dept_b = UserFactory(username="dept_b", grants=[(Role.DEPARTMENT, w.dept_b_org)])
    w.problem_a = services.problem_record(
        actor=w.admin_a,
        source=ProblemSource.SITE_VISIT,
        category=category("用地"),
        description="壶关县甲项目用地指标未落实",
        project=w.project_a,
        found_on=datetime.date(2025, 6, 2),
    )
    w.problem_b = services.problem_record(
        actor=w.admin_b,
        source=ProblemSource.SITE_VISIT,
        category=category("资金"),
        description="长子县乙项目配套资金未到位",
        project=w.project_b,
        found_on=datetime.date(2025, 6, 3),
        attachments=[png()],
    )
    w.attachment_b = w.problem_b.attachments.get()
    services.problem_assign(
        actor=w.admin_b,
        problem=w.problem_b,
        department=w.dept_b_org,
        deadline=datetime.date(2025, 7, 1),
    )
    w.notice_b = w.dept_b.notices.get()
    w.problem_b.refresh_from_db()
    actor.refresh_from_db()
    return w
