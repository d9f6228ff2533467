"""The assessment pages and API, as the city's administrator, its statistics bureau and a county."""

import io
import json

import openpyxl
import pytest
from django.urls import reverse

from tiaodu.assessment.models import Actual, PublishedResult, Scheme
from tiaodu.conftest import client_for


@pytest.mark.django_db
def test_pages_render_for_the_city(assessment_world):
    w = assessment_world
    client = client_for(w.city_admin)
    for name, args in [
        ("assessment:scheme_list", []),
        ("assessment:scheme_add", []),
        ("assessment:scheme_detail", [w.scheme.pk]),
        ("assessment:scheme_edit", [w.scheme.pk]),
        ("assessment:indicator_list", []),
        ("assessment:indicator_add", []),
        ("assessment:indicator_edit", [w.growth.pk]),
        ("assessment:actual_list", []),
        ("assessment:actual_add", []),
        ("assessment:actual_detail", [w.actuals[("工业投资增速", w.county_a.code)].pk]),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    body = client.get(reverse("assessment:result", args=[w.scheme.pk]), {"month": 6}).content.decode()
    assert "长治市2025年度重点项目建设考核结果" in body
    assert "25 × min(12 ÷ 10 = 1.2, 封顶 1.5) = 30" in body
    assert "/figures/drilldown/?period=2025-06&amp;rate=start_rate" in body
    assert "当前数据" in body


@pytest.mark.django_db
def test_publish_then_read_as_published_and_export(assessment_world):
    w = assessment_world
    client = client_for(w.city_admin)
    url = reverse("assessment:result", args=[w.scheme.pk])
    response = client.post(reverse("assessment:result_publish", args=[w.scheme.pk]), {"month": 6})
    assert response.status_code == 302 and PublishedResult.objects.filter(scheme=w.scheme, month=6).exists()
    body = client.get(url, {"month": 6, "as_of": "published"}).content.decode()
    assert "发布于" in body
    assert client.get(url, {"month": 5, "as_of": "published"}).status_code == 400
    wrong = client.get(url, {"month": 13})
    assert wrong.status_code == 400 and "13" in wrong.content.decode()
    export = client.get(url, {"month": 6, "as_of": "published", "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert sheet["A1"].value == "长治市2025年度重点项目建设考核结果"
    assert sheet["A3"].value == "排名" and "单位：分" in sheet["A2"].value
    assert {sheet.cell(row=5, column=2).value, sheet.cell(row=6, column=2).value} == {"壶关县", "长子县"}


@pytest.mark.django_db
def test_forms_say_what_is_wrong(assessment_world):
    w = assessment_world
    client = client_for(w.city_admin)
    response = client.post(
        reverse("assessment:scheme_add"),
        {
            "region": w.city.pk,
            "year": 2025,
            "name": "新方案",
            "unit_kind": "region",
            "regions": [w.county_a.pk],
            f"weight_{w.growth.pk}": "50",
            f"rule_{w.growth.pk}": "ratio",
            **{f"rule_{i.pk}": "ratio" for i in (w.start_rate, w.completion, w.firms)},
        },
    )
    assert response.status_code == 400 and "权重之和应为100，当前为50" in response.content.decode()
    assert not Scheme.objects.filter(name="新方案").exists()
    response = client.post(
        reverse("assessment:actual_add"),
        {"indicator": w.start_rate.pk, "region": w.county_a.pk, "year": 2025, "month": 6, "value": "50"},
    )
    assert response.status_code == 400 and "不能填报实绩" in response.content.decode()
    response = client.post(
        reverse("assessment:scheme_targets", args=[w.scheme.pk]),
        {f"t_{w.items['规上工业企业数'].pk}_{w.unit_a.pk}": "-1"},
    )
    assert response.status_code == 400 and "超出合理范围" in response.content.decode()


@pytest.mark.django_db
def test_department_fills_and_city_reviews_in_the_browser(assessment_world):
    w = assessment_world
    stats = client_for(w.stats)
    response = stats.post(
        reverse("assessment:actual_add"),
        {"indicator": w.firms.pk, "region": w.county_a.pk, "year": 2025, "month": 7, "value": "41"},
    )
    assert response.status_code == 302
    actual = Actual.objects.get(indicator=w.firms, region=w.county_a, month=7)
    stats.post(reverse("assessment:actual_submit", args=[actual.pk]))
    client_for(w.city_admin).post(reverse("assessment:actual_accept", args=[actual.pk]))
    actual.refresh_from_db()
    assert actual.status == "accepted"


@pytest.mark.django_db
def test_api(assessment_world):
    w = assessment_world
    client = client_for(w.city_admin)
    listing = client.get("/api/assessment-indicators/").json()
    assert {row["name"] for row in listing["results"]} >= {"开工率", "工业投资增速"}
    response = client.post(
        "/api/assessment-actuals/",
        data=json.dumps(
            {"indicator": w.start_rate.pk, "region": w.county_a.code, "year": 2025, "month": 6, "value": "1"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 400 and "不能填报实绩" in response.json()["error"]["message"]
    stats = client_for(w.stats)
    response = stats.post(
        "/api/assessment-actuals/",
        data=json.dumps({"indicator": w.firms.pk, "region": w.county_b.code, "year": 2025, "month": 7, "value": "-2"}),
        content_type="application/json",
    )
    assert response.status_code == 400 and "超出合理范围" in response.json()["error"]["message"]
    created = stats.post(
        "/api/assessment-actuals/",
        data=json.dumps({"indicator": w.firms.pk, "region": w.county_b.code, "year": 2025, "month": 7, "value": "56"}),
        content_type="application/json",
    ).json()
    assert stats.post(f"/api/assessment-actuals/{created['id']}/submit/").json()["status"] == "submitted"
    returned = client.post(
        f"/api/assessment-actuals/{created['id']}/return/",
        data=json.dumps({"reason": "请核实"}),
        content_type="application/json",
    ).json()
    assert returned["status"] == "returned" and returned["return_reason"] == "请核实"
    response = client.post(
        "/api/assessment-schemes/",
        data=json.dumps(
            {
                "region": w.city.code,
                "year": 2025,
                "name": "API方案",
                "unit_regions": [w.county_a.code],
                "items": [{"indicator": w.growth.pk, "weight": "70"}, {"indicator": w.firms.pk, "weight": "20"}],
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400 and "权重之和应为100" in response.json()["error"]["message"]
    result = client.get(f"/api/assessment-schemes/{w.scheme.pk}/result/", {"month": 6}).json()
    assert result["as_of"] == "current" and len(result["rows"]) == 2
    assert all("formula" in cell for row in result["rows"] for cell in row["cells"])
    published = client.post(
        f"/api/assessment-schemes/{w.scheme.pk}/publish/",
        data=json.dumps({"month": 6}),
        content_type="application/json",
    )
    assert published.status_code == 201
    again = client.get(f"/api/assessment-schemes/{w.scheme.pk}/result/", {"month": 6, "as_of": "published"}).json()
    assert again["as_of"] == "published" and again["rows"] == result["rows"]
    assert client.get(f"/api/assessment-schemes/{w.scheme.pk}/result/", {"month": 13}).status_code == 400


@pytest.mark.django_db
def test_another_county_sees_nothing_of_the_city_scheme(assessment_world):
    w = assessment_world
    client = client_for(w.admin_a)
    assert client.get(reverse("assessment:result", args=[w.scheme.pk])).status_code == 404
    assert client.get(f"/api/assessment-schemes/{w.scheme.pk}/result/").status_code == 404
    assert client.post(f"/api/assessment-schemes/{w.scheme.pk}/publish/", {"month": 6}).status_code == 404
    actual_b = w.actuals[("工业投资增速", w.county_b.code)]
    assert client.get(reverse("assessment:actual_detail", args=[actual_b.pk])).status_code == 404
    assert actual_b.pk not in [r["id"] for r in client.get("/api/assessment-actuals/").json()["results"]]
