"""The figures page, the drill-down and the dashboard: the numbers shown are ``figures()``, each links
to exactly its rows, the export holds those rows, bad questions get clear messages, and a user never
sees anything outside their scope."""

import datetime
import io
import json
import re
from decimal import Decimal
from html import unescape

import openpyxl
import pytest
from django.urls import reverse
from django.utils.html import conditional_escape

from tiaodu.conftest import client_for
from tiaodu.core.tests.test_no_500 import GARBAGE
from tiaodu.figures.selectors import RATES, FigureQuery, figures, ranking
from tiaodu.figures.views import number
from tiaodu.reports import services as report_services
from tiaodu.reports.models import MonthlyReport

from .test_series import JULY, figure_city_fixture  # noqa: F401  (the fixture figure_city)

pytestmark = pytest.mark.django_db
FIGURES = reverse("figures:figures")
DRILLDOWN = reverse("figures:drilldown")
DASHBOARD = reverse("figures:dashboard")


def text(response) -> str:
    """The page as a reader sees it (entities decoded), so links can be followed as they are."""
    return unescape(response.content.decode())


def card(body: str, key: str) -> dict:
    """The numbers a rate card shows, by their test ids."""
    start = body.index(f'data-testid="rate-{key}"')
    chunk = body[start : body.find('data-testid="rate-', start + 10)]
    found = dict(re.findall(r'data-testid="(numerator|denominator|rate|yoy)"[^>]*>([^<]*)<', chunk))
    found["numerator_url"] = re.search(r'href="([^"]+)" data-testid="numerator"', chunk)[1]
    found["denominator_url"] = re.search(r'href="([^"]+)" data-testid="denominator"', chunk)[1]
    return found


def drill_rows(client, url: str) -> list:
    response = client.get(url)
    assert response.status_code == 200, url
    return list(response.context["table"].data)


def xlsx_rows(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0] not in (None, "合计")]


def test_the_page_shows_figures_with_numerators_denominators_and_year_on_year(figure_city):
    w = figure_city
    client = client_for(w.city_admin)
    response = client.get(FIGURES, {"period": "2025-07"})
    assert response.status_code == 200
    body = text(response)
    expected = figures(w.city_admin, FigureQuery(period=JULY, region=w.city))
    assert "长治市 2025-07 重点项目调度指标" in body
    for key, value in expected.rates.items():
        shown = card(body, key)
        assert shown["numerator"] == number(value.numerator, value.is_money), key
        assert shown["denominator"] == number(value.denominator, value.is_money), key
        assert shown["rate"] == f"{value.rate}%", key
        yoy = expected.yoy(key)
        assert shown["yoy"].split()[1] == ("—" if yoy is None else f"{yoy:+}"), key
    assert card(body, "start_rate")["numerator"] == "2" and card(body, "start_rate")["rate"] == "50.0%"
    investment = card(body, "investment_completion_rate")
    assert investment["numerator"] == "10,100.00" and investment["denominator"] == "23,000.00"
    assert "（1.01 / 2.30 亿元）" in body
    assert "同比 -50.0 个百分点" in body
    assert re.search(r'data-testid="total">7<', body) and re.search(r'data-testid="reported">2<', body)
    assert re.search(r'data-testid="stage-construction">4<', body)


def test_every_number_drills_down_to_exactly_its_rows(figure_city):
    w = figure_city
    client = client_for(w.city_admin)
    body = text(client.get(FIGURES, {"period": "2025-07"}))
    expected = figures(w.city_admin, FigureQuery(period=JULY, region=w.city))
    for key, value in expected.rates.items():
        shown = card(body, key)
        numerator_rows = drill_rows(client, shown["numerator_url"])
        denominator_rows = drill_rows(client, shown["denominator_url"])
        if value.is_money:
            assert sum((row.ytd for row in numerator_rows), Decimal(0)) == value.numerator
            assert sum((row.annual_plan for row in denominator_rows), Decimal(0)) == value.denominator
        else:
            assert len(numerator_rows) == value.numerator, key
            assert len(denominator_rows) == value.denominator, key
    for stage, count in expected.stages.items():
        url = re.search(rf'href="([^"]+)" data-testid="stage-{stage}"', body)[1]
        assert len(drill_rows(client, url)) == count, stage
    total_url = re.search(r'href="([^"]+)" data-testid="total"', body)[1]
    assert len(drill_rows(client, total_url)) == expected.total == 7


def test_drilldown_header_restates_the_number_and_the_export_has_the_same_rows(figure_city):
    w = figure_city
    client = client_for(w.city_admin)
    params = {"period": "2025-07", "region": "140400", "rate": "start_rate", "part": "numerator"}
    response = client.get(DRILLDOWN, params)
    body = text(response)
    assert "开工率 分子：已开工的新建项目 2 个" in body
    names = [row.record.project.name for row in response.context["table"].page.object_list]
    assert sorted(names) == sorted([w.a1.name, w.b1.name])
    export = client.get(DRILLDOWN, {**params, "export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = xlsx_rows(export.content)
    assert sorted(row[2] for row in rows) == sorted(names)
    assert {row[1] for row in rows} == {w.a1.code, w.b1.code}
    investment = {**params, "rate": "investment_completion_rate"}
    body = text(client.get(DRILLDOWN, investment))
    assert "投资完成率 分子：自年初累计完成投资 10,100.00 万元（1.01 亿元），7 个项目" in body
    rows = xlsx_rows(client.get(DRILLDOWN, {**investment, "export": "xlsx"}).content)
    assert len(rows) == 7
    header = [cell for cell in next(iter(_sheet_rows(client, investment)))]
    ytd_column = header.index("自年初累计完成投资（万元）")
    assert sum(Decimal(str(row[ytd_column])) for row in rows) == Decimal("10100")


def _sheet_rows(client, params):
    content = client.get(DRILLDOWN, {**params, "export": "xlsx"}).content
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return sheet.iter_rows(min_row=2, max_row=2, values_only=True)


def test_drilldown_is_sortable_and_paged(figure_city):
    w = figure_city
    client = client_for(w.city_admin)
    params = {"period": "2025-07", "rate": "all"}
    table = client.get(DRILLDOWN, {**params, "sort": "-ytd"}).context["table"]
    ytds = [row.record.ytd for row in table.page.object_list]
    assert ytds == sorted(ytds, reverse=True) and len(ytds) == 7
    for sort in ("stage", "level", "project__region", "-project__owner", "annual_plan", "nonsense"):
        assert client.get(DRILLDOWN, {**params, "sort": sort}).status_code == 200, sort
    assert client.get(DRILLDOWN, {**params, "page": "abc"}).status_code == 200
    lagging = client.get(DRILLDOWN, {"period": "2025-07", "rate": "lagging"})
    assert lagging.context["table"].paginator.count == 3
    assert "投资进度落后项目" in text(lagging)
    pool = client.get(DRILLDOWN, {"period": "2025-07", "rate": "pool:operating"})
    assert [row.project for row in pool.context["table"].data] == [w.b2]


def _tables2_cells(table, row) -> list[str]:
    return [str(conditional_escape(row.get_cell(column.name))) for column in table.columns]


@pytest.mark.parametrize("as_of_lock", [False, True])
def test_drilldown_rows_drawn_lean_are_the_cells_django_tables2_would_draw(figure_city, as_of_lock):
    w = figure_city
    w.project_a.name = "壶关县<甲&乙>项目"
    w.project_a.code = None
    w.project_a.save()
    if as_of_lock:
        report_services.month_lock(region=w.city, period=JULY, actor=w.city_admin)
    client = client_for(w.city_admin)
    params = {"period": "2025-07", "rate": "all", **({"as_of": "lock"} if as_of_lock else {})}
    for sort in ("", "-ytd", "stage"):
        response = client.get(DRILLDOWN, {**params, "sort": sort})
        table = response.context["table"]
        rows = list(table.paginated_rows)
        assert len(rows) == 7
        body = response.content.decode()
        for row in rows:
            lean = [str(conditional_escape(cell)) for cell in table.lean_cells(row.record)]
            assert lean == _tables2_cells(table, row)
        assert "壶关县&lt;甲&amp;乙&gt;项目" in body and "<甲&乙>" not in body
        assert body.count('<td class="num">') == 2 * 7


def test_ranking_ties_share_a_rank_and_each_cell_opens_that_countys_rows(figure_city):
    w = figure_city
    client = client_for(w.city_admin)
    body = text(client.get(FIGURES, {"period": "2025-07"}))
    table = body[body.index('data-testid="ranking-resumption_rate"') :]
    table = table[: table.index("</table>")]
    assert re.findall(r'data-testid="rank">([^<]*)<', table) == ["1", "1"]
    query = FigureQuery(period=JULY, region=w.city)
    for key in RATES:
        table = body[body.index(f'data-testid="ranking-{key}"') :]
        table = table[: table.index("</table>")]
        for row in ranking(w.city_admin, query, key):
            chunk = table[table.index(f'data-region="{row.region.code}"') :]
            url = re.search(r'href="([^"]+)"', chunk)[1]
            assert f"region={row.region.code}" in url and "part=numerator" in url
            rows = drill_rows(client, url)
            if row.value.is_money:
                assert sum((r.ytd for r in rows), Decimal(0)) == row.value.numerator
            else:
                assert len(rows) == row.value.numerator, (key, row.region.code)


def test_the_city_itself_ranks_as_shiben_ji_and_drills_to_its_own_projects_only(figure_city):
    """A project filed under the city (市本级) ranks on its own row, whose links open just those projects."""
    from tiaodu.projects import services as project_services
    from tiaodu.projects.choices import Stage
    from tiaodu.testing import ProjectFactory, system_user

    w = figure_city
    actor = system_user()
    own = ProjectFactory(
        actor=actor,
        region=w.city,
        name="市本级项目",
        stage=Stage.CONSTRUCTION,
        actual_start_date=datetime.date(2025, 4, 1),
    )
    project_services.key_list_add_project(
        key_list=w.city_list, project=own, actor=actor, annual_plan=Decimal("800"), nature="new"
    )
    client = client_for(w.city_admin)
    body = text(client.get(FIGURES, {"period": "2025-07"}))
    table = body[body.index('data-testid="ranking-start_rate"') :]
    table = table[: table.index("</table>")]
    chunk = table[table.index(f'data-region="{w.city.code}"') :]
    assert "（市本级）" in chunk[: chunk.index("</tr>")]
    url = re.search(r'href="([^"]+)"', chunk)[1]
    assert "own=1" in url
    assert [r.project.name for r in drill_rows(client, url)] == ["市本级项目"]
    response = client.get(url)
    assert "长治市（本级）" in text(response)
    api = client.get(reverse("api-figures"), {"period": "2025-07", "region": w.city.code, "own": "true"}).json()
    assert api["region_only"] is True and api["projects"] == 1


@pytest.mark.parametrize(
    "params, words",
    [
        ({"period": "2025-13"}, "月份“2025-13”不存在"),
        ({"period": "July"}, "月份应写作“年-月”"),
        ({"period": "2099-01"}, "尚未到来"),
        ({"region": "999999"}, "区划代码“999999”不存在或不在您的查看范围内"),
        ({"region": "abc"}, "不存在或不在您的查看范围内"),
        ({"level": "town"}, "重点级别“town”无效"),
        ({"sector": "mining"}, "行业类别“mining”无效"),
        ({"as_of": "yesterday"}, "数据口径“yesterday”无效"),
        ({"period": "2025-07", "as_of": "lock"}, "2025-07尚未锁定"),
    ],
)
def test_bad_questions_get_a_clear_message(figure_city, params, words):
    client = client_for(figure_city.city_admin)
    for url in (FIGURES, DASHBOARD, DRILLDOWN):
        response = client.get(url, params)
        assert response.status_code == 400, (url, params)
        assert words in text(response), (url, params)


def test_unlocked_month_offers_the_current_figures(figure_city):
    client = client_for(figure_city.city_admin)
    body = text(client.get(FIGURES, {"period": "2025-07", "as_of": "lock"}))
    assert "查看当前数据" in body and "as_of=current" in body
    bad = client.get(DRILLDOWN, {"rate": "bogus", "part": "half"})
    assert bad.status_code == 400 and "“bogus”不是可查看明细的指标" in text(bad) and "“half”无效" in text(bad)


def test_as_locked_and_current_figures_side_by_side(figure_city):
    w = figure_city
    report_services.month_lock(actor=w.city_admin, region=w.city, period="2025-07")
    july_b1 = MonthlyReport.objects.get(project=w.b1, period=JULY)
    report_services.report_correct(report=july_b1, actor=w.city_admin, reason="核减", investment_month=Decimal("500"))
    client = client_for(w.city_admin)
    current = text(client.get(FIGURES, {"period": "2025-07"}))
    assert card(current, "investment_completion_rate")["numerator"] == "9,600.00"
    assert 'data-testid="as-of-switch"' in current and "已于" in current
    locked = text(client.get(FIGURES, {"period": "2025-07", "as_of": "lock"}))
    assert card(locked, "investment_completion_rate")["numerator"] == "10,100.00"
    assert "锁定时数据" in locked and "由 city_admin 锁定" in locked
    url = card(locked, "investment_completion_rate")["numerator_url"]
    assert "as_of=lock" in url
    rows = drill_rows(client, url)
    assert sum((row.ytd for row in rows), Decimal(0)) == Decimal("10100")
    dashboard = client.get(DASHBOARD, {"period": "2025-07", "as_of": "lock"})
    assert dashboard.status_code == 200 and "锁定时数据" in text(dashboard)
    assert client.get(FIGURES, {"period": "2025-06"}).status_code == 200
    assert "尚未锁定" in text(client.get(FIGURES, {"period": "2025-06"}))


def test_defaults_are_the_last_finished_month_and_the_users_top_region(figure_city, monkeypatch):
    monkeypatch.setattr("tiaodu.figures.forms.last_finished_month", lambda: datetime.date(2025, 7, 1))
    w = figure_city
    body = text(client_for(w.city_admin).get(FIGURES))
    assert "长治市 2025-07 重点项目调度指标" in body
    assert card(body, "start_rate")["rate"] == "50.0%"
    body = text(client_for(w.admin_a).get(FIGURES))
    assert "壶关县 2025-07 重点项目调度指标" in body


def test_another_county_sees_nothing_of_this_one(figure_city):
    """长子县's administrator: figures, ranking, drill-downs, exports and the dashboard hold only 长子县."""
    w = figure_city
    client = client_for(w.admin_b)
    secrets = [w.a1.name, w.a2.name, w.a3.name, w.project_a.name, "壶关县", w.a1.code]
    own = figures(w.admin_b, FigureQuery(period=JULY, region=w.county_b))
    responses = [
        client.get(FIGURES, {"period": "2025-07"}),
        client.get(DASHBOARD, {"period": "2025-07"}),
        client.get(FIGURES, {"period": "2025-07", "region": "140427"}),
        client.get(FIGURES, {"period": "2025-07", "region": "140400"}),
        client.get(DASHBOARD, {"period": "2025-07", "region": "140427"}),
    ]
    for key in [*RATES, "all", "lagging", "stage:preliminary"]:
        for part in ("numerator", "denominator"):
            responses.append(client.get(DRILLDOWN, {"period": "2025-07", "rate": key, "part": part}))
            responses.append(
                client.get(DRILLDOWN, {"period": "2025-07", "rate": key, "part": part, "region": "140427"})
            )
    for response in responses:
        body = text(response)
        for secret in secrets:
            assert secret not in body, (response.request["QUERY_STRING"], secret)
    assert responses[2].status_code == 400 and responses[3].status_code == 400
    body = text(responses[0])
    assert "长子县 2025-07" in body and card(body, "start_rate")["denominator"] == str(
        own.rates["start_rate"].denominator
    )
    export = client.get(DRILLDOWN, {"period": "2025-07", "rate": "all", "export": "xlsx"})
    exported = " ".join(str(cell) for row in xlsx_rows(export.content) for cell in row)
    assert w.b1.name in exported and all(secret not in exported for secret in secrets)
    assert len(xlsx_rows(export.content)) == own.total


def test_an_owner_reads_only_its_own_projects(figure_city):
    w = figure_city
    client = client_for(w.owner_a)
    response = client.get(FIGURES, {"period": "2025-07"})
    assert response.status_code == 200
    body = text(response)
    assert re.search(r'data-testid="total">1<', body)
    rows = drill_rows(client, f"{DRILLDOWN}?period=2025-07&rate=all")
    assert [row.project for row in rows] == [w.project_a]
    assert client.get(FIGURES, {"period": "2025-07", "region": "140427"}).status_code == 400


def test_dashboard_headline_charts_and_laggards(figure_city):
    w = figure_city
    client = client_for(w.leader)
    response = client.get(DASHBOARD, {"period": "2025-07"})
    assert response.status_code == 200
    body = text(response)
    expected = figures(w.leader, FigureQuery(period=JULY, region=w.city))
    for key, value in expected.rates.items():
        assert card(body, key)["rate"] == f"{value.rate}%"
    assert re.search(r'data-testid="reported">2<', body)
    assert "vendor/echarts/echarts.min.js" in body and "figures/dashboard.js" in body
    assert "cdn" not in body.lower()
    data = json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', body, re.S)[1])
    assert data["investment"]["actual"][6] == "10100.00" and data["investment"]["plan"][11] == "23000.00"
    assert data["ranking"]["labels"] == ["长子县", "壶关县"] and data["ranking"]["values"] == ["71.0", "23.1"]
    assert data["funnel"]["values"] == [0, 2, 4, 1]
    assert sum(Decimal(v) for v in data["sectors"]["values"]) == Decimal("10100")
    for chart in ("investment", "ranking", "funnel", "sectors"):
        for url in filter(None, data[chart]["links"]):
            assert client.get(url).status_code == 200, url
    rows = drill_rows(client, data["ranking"]["links"][0])
    assert sum((r.ytd for r in rows), Decimal(0)) == Decimal("7100")
    lagging = body[body.index('data-testid="lagging"') :]
    for project in (w.a2, w.a3, w.project_a):
        assert project.name in lagging and project.get_absolute_url() in lagging
    assert w.a1.name not in lagging
    assert "38.3" in lagging and "共 3 个，查看全部" in lagging


def test_query_budgets(figure_city, django_assert_max_num_queries):
    """A fixed number of queries, whatever the number of rows (today: dashboard 14, drill-down 7, export 6)."""
    w = figure_city
    client = client_for(w.leader)
    client.get(DASHBOARD, {"period": "2025-07"})  # warm the session
    with django_assert_max_num_queries(18):
        assert client.get(DASHBOARD, {"period": "2025-07"}).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(FIGURES, {"period": "2025-07"}).status_code == 200
    for rate in ("all", "lagging", "start_rate", "pool:construction"):
        with django_assert_max_num_queries(10):
            assert client.get(DRILLDOWN, {"period": "2025-07", "rate": rate}).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(DRILLDOWN, {"period": "2025-07", "rate": "all", "export": "xlsx"}).status_code == 200


def test_login_required_and_garbage_never_500(figure_city, client):
    for url in (FIGURES, DASHBOARD, DRILLDOWN):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    logged_in = client_for(figure_city.admin_a)
    for query in GARBAGE:
        for url in (FIGURES, DASHBOARD, DRILLDOWN):
            assert logged_in.get(url, query).status_code < 500, (url, query)
