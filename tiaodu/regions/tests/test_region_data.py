"""The region tree loaded by migration 0002 from tiaodu/regions/data/regions.csv."""

import csv
from collections import Counter
from pathlib import Path

import pytest

from tiaodu.regions.choices import RegionLevel
from tiaodu.regions.models import Region

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "regions.csv"

CHANGZHI_COUNTIES = {
    "140403": "潞州区",
    "140404": "上党区",
    "140405": "屯留区",
    "140406": "潞城区",
    "140423": "襄垣县",
    "140425": "平顺县",
    "140426": "黎城县",
    "140427": "壶关县",
    "140428": "长子县",
    "140429": "武乡县",
    "140430": "沁县",
    "140431": "沁源县",
}

EXPECTED_PARENT_LEVEL = {
    RegionLevel.CITY: RegionLevel.PROVINCE,
    RegionLevel.COUNTY: RegionLevel.CITY,
    RegionLevel.ZONE: RegionLevel.CITY,
}

pytestmark = pytest.mark.django_db


def read_csv() -> list[dict[str, str]]:
    with DATA_FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_31_provinces():
    provinces = Region.objects.filter(level=RegionLevel.PROVINCE)
    assert provinces.count() == 31
    assert not provinces.filter(parent__isnull=False).exists()
    assert all(code.endswith("0000") for code in provinces.values_list("code", flat=True))


def test_changzhi_has_exactly_its_twelve_current_counties():
    shanxi = Region.objects.get(code="140000")
    changzhi = Region.objects.get(code="140400")
    assert (shanxi.name, shanxi.level) == ("山西省", RegionLevel.PROVINCE)
    assert (changzhi.name, changzhi.level, changzhi.parent) == ("长治市", RegionLevel.CITY, shanxi)
    assert changzhi.path == "140000/140400/"

    children = dict(changzhi.children.values_list("code", "name"))
    assert children == CHANGZHI_COUNTIES
    assert set(changzhi.children.values_list("level", flat=True)) == {RegionLevel.COUNTY}
    # Abolished in 2018–2019; stale datasets (cpca) still list them.
    assert not changzhi.children.filter(name__in=["长治县", "城区", "郊区", "屯留县", "潞城市"]).exists()
    assert Region.objects.get(code="140427").path == "140000/140400/140427/"


def test_every_non_province_has_a_parent_of_the_expected_level():
    by_id = {r.id: r for r in Region.objects.all()}
    wrong = [
        (r.code, r.level, by_id[r.parent_id].level if r.parent_id else None)
        for r in by_id.values()
        if r.level != RegionLevel.PROVINCE
        and (r.parent_id is None or by_id[r.parent_id].level != EXPECTED_PARENT_LEVEL[r.level])
    ]
    assert wrong == []


def test_every_path_is_parent_path_plus_code():
    by_id = {r.id: r for r in Region.objects.all()}
    for region in by_id.values():
        parent_path = by_id[region.parent_id].path if region.parent_id else ""
        assert region.path == f"{parent_path}{region.code}/", region.code


def test_codes_nest_under_their_parents():
    for region in Region.objects.select_related("parent").exclude(parent=None):
        prefix = 2 if region.level == RegionLevel.CITY else 4
        assert region.code[:prefix] == region.parent.code[:prefix], region.code


def test_functional_zones():
    zone = Region.objects.get(code="130171")
    assert zone.name == "石家庄高新技术产业开发区"
    assert zone.level == RegionLevel.ZONE
    assert zone.parent.code == "130100"
    assert all(code[4] == "7" for code in Region.objects.filter(level=RegionLevel.ZONE).values_list("code", flat=True))
    assert not any(
        code[4] == "7" for code in Region.objects.filter(level=RegionLevel.COUNTY).values_list("code", flat=True)
    )


def test_cities_without_counties_appear_once_as_cities():
    dongguan = Region.objects.get(code="441900")  # .get: exactly once
    assert (dongguan.name, dongguan.level) == ("东莞市", RegionLevel.CITY)
    for code in ("441900", "442000", "460400", "620200"):
        city = Region.objects.get(code=code)
        assert city.level == RegionLevel.CITY
        assert not city.children.exists(), code
    assert not Region.objects.filter(code="620201").exists()


def test_codes_are_unique_and_well_formed():
    codes = list(Region.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    assert all(len(code) == 6 and code.isdigit() for code in codes)


def test_total_count_is_plausible():
    counts = Counter(Region.objects.values_list("level", flat=True))
    print("region counts:", dict(counts), "total:", sum(counts.values()))
    assert 300 <= counts[RegionLevel.CITY] <= 400
    assert 2700 <= counts[RegionLevel.COUNTY] <= 3000
    assert 50 <= counts[RegionLevel.ZONE] <= 200
    assert 3200 <= sum(counts.values()) <= 3600


def test_loaded_regions_have_no_history_rows():
    assert Region.history.count() == 0


def test_csv_and_database_agree():
    rows = read_csv()
    assert len(rows) == Region.objects.count()
    db = {
        code: (name, level, parent or "")
        for code, name, level, parent in Region.objects.values_list("code", "name", "level", "parent__code")
    }
    assert {row["code"]: (row["name"], row["level"], row["parent_code"]) for row in rows} == db
    assert [row["code"] for row in rows] == sorted(row["code"] for row in rows)
