import os, sys, time
from collections import defaultdict
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.argv = [sys.argv[0], "--rows", "1"]
import ledgers as L
from django.db import connection
from tiaodu.accounts.models import User
from tiaodu.regions.models import Region
import datetime
user = User.objects.get(username="bench-ledgers"); city = Region.objects.get(code="140400")
n = 50000; tag = "S%d" % (int(time.time()) % 10000); batch = 94
L.import_projects(actor=user, content=L.xlsx(L.project_rows(n, tag, batch)), filename="p.xlsx", year=2025, level="city", region=city)
print("projects in")
times = defaultdict(float); counts = defaultdict(int)
def wrapper(execute, sql, params, many, context):
    t = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        key = sql[:70].replace("\n", " ")
        times[key] += time.perf_counter() - t; counts[key] += 1
content = L.xlsx(L.report_rows(n, tag, batch))
import cProfile, pstats
prof = cProfile.Profile()
with connection.execute_wrapper(wrapper):
    t = time.perf_counter()
    r = prof.runcall(L.import_reports, actor=user, content=content, filename="r.xlsx", period=datetime.date(2025, 7, 1), region=city)
    print("import", round(time.perf_counter() - t, 2), r.counts)
pstats.Stats(prof).sort_stats("cumulative").print_callers("connection.py:479")
tot = sum(times.values()); print("sql total", round(tot, 2))
for k, v in sorted(times.items(), key=lambda kv: -kv[1])[:15]:
    print(f"{v:7.2f}s {counts[k]:5d}  {k}")
