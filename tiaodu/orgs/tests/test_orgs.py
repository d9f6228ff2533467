import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tiaodu.conftest import client_for
from tiaodu.orgs import services
from tiaodu.orgs.choices import OrganisationKind
from tiaodu.orgs.models import Organisation
from tiaodu.testing import OrganisationFactory, admin_of, region

pytestmark = pytest.mark.django_db


def test_credit_code_check_digit_is_validated():
    admin = admin_of(region("140427"))
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_create(
            actor=admin,
            name="校验位错误公司",
            kind=OrganisationKind.ENTERPRISE,
            region=region("140427"),
            credit_code="91110108551385082A",
        )
    assert "校验位不正确" in str(excinfo.value)
    org = services.organisation_create(
        actor=admin,
        name="小写代码公司",
        kind=OrganisationKind.ENTERPRISE,
        region=region("140427"),
        credit_code="91110108551385082q",
    )
    assert org.credit_code == "91110108551385082Q"
    with pytest.raises(ValidationError):
        services.organisation_create(
            actor=admin,
            name="重复代码公司",
            kind=OrganisationKind.ENTERPRISE,
            region=region("140427"),
            credit_code="91110108551385082Q",
        )


def test_a_merged_department_keeps_its_old_name_in_history():
    admin = admin_of(region("140400"))
    old = OrganisationFactory(
        actor=admin,
        name="长治市国土资源局",
        kind=OrganisationKind.DEPARTMENT,
        region=region("140400"),
        credit_code=None,
    )
    new = OrganisationFactory(
        actor=admin,
        name="长治市自然资源局",
        kind=OrganisationKind.DEPARTMENT,
        region=region("140400"),
        credit_code=None,
    )
    import datetime

    with pytest.raises(ValidationError):
        services.organisation_update(organisation=old, actor=admin, successor=new)
    services.organisation_update(
        organisation=old, actor=admin, successor=new, dissolved_on=datetime.date(2019, 1, 28), reason="机构改革"
    )
    old.refresh_from_db()
    assert not old.is_active and old.successor == new
    assert list(old.history.values_list("name", flat=True)) == ["长治市国土资源局", "长治市国土资源局"]
    body = client_for(admin).get(old.get_absolute_url()).content.decode()
    assert "机构改革" in body and "长治市自然资源局" in body


def test_organisation_form_reports_a_bad_code_and_writes_nothing():
    admin = admin_of(region("140427"))
    client = client_for(admin)
    before = Organisation.objects.count()
    response = client.post(
        reverse("orgs:organisation_add"),
        {"name": "某公司", "kind": "enterprise", "region": region("140427").pk, "credit_code": "123"},
    )
    assert response.status_code == 400 and "统一社会信用代码应为18位" in response.content.decode()
    assert Organisation.objects.count() == before
