"""Re-importing a key-project list: the same file again, then with every total changed, each in its own process.

    TIAODU_DATA_DIR=bench/out/reimport .venv/bin/tiaodu migrate
    TIAODU_DATA_DIR=bench/out/reimport .venv/bin/python bench/reimport.py --rows 50000

A county sends its updated ledger every month: the import matches every row to a project and either
leaves it as it is or updates it. The list is imported first (all new), then the same file (all
unchanged), then the file with each row's 总投资 one 万元 higher (all updated). Each import runs in a
fresh process, so the peak memory printed is that import's own (``bench/ledgers.py`` prints the
peak of one process that has already imported the list). The files are written to ``bench/out/``
first. Not a test.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
STEPS = {"first": "reimport-first.xlsx", "again": "reimport-first.xlsx", "changed": "reimport-changed.xlsx"}


def write_files(rows: int) -> None:
    from ledgers import project_rows, xlsx

    lines = list(project_rows(rows, "REIMPORT", 77))
    OUT.mkdir(exist_ok=True)
    (OUT / STEPS["first"]).write_bytes(xlsx(lines))
    total = lines[2].index("总投资")
    for line in lines[3:]:
        line[total] += 1
    (OUT / STEPS["changed"]).write_bytes(xlsx(lines))


def import_once(step: str) -> None:
    from ledgers import import_projects, peak_mb  # sets Django up

    from tiaodu.accounts.models import User
    from tiaodu.regions.models import Region

    actor, _created = User.objects.get_or_create(username="bench-ledgers", defaults={"is_superuser": True})
    content = (OUT / STEPS[step]).read_bytes()
    before = peak_mb()
    start = time.perf_counter()
    result = import_projects(
        actor=actor,
        content=content,
        filename="p.xlsx",
        year=2025,
        level="city",
        region=Region.objects.get(code="140400"),
    )
    seconds = time.perf_counter() - start
    print(
        f"  {step:8s} {seconds:6.2f} s  {result.counts}  peak RSS {peak_mb():.0f} MB "
        f"(before the import {before:.0f} MB)  written={result.written} problems={len(result.problems)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)  # one import (a child process)
    args = parser.parse_args()
    sys.argv = sys.argv[:1]  # ledgers.py parses nothing on import; keep its argv clean
    sys.path.insert(0, str(BENCH))
    if args.step:
        import_once(args.step)
        return
    write_files(args.rows)
    print(f"project list: {args.rows} rows, imported three times (each in a fresh process)")
    for step in ("first", "again", "changed"):
        subprocess.run([sys.executable, __file__, "--step", step], check=True)


if __name__ == "__main__":
    main()
