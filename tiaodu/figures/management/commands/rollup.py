"""``tiaodu rollup``: check or rebuild the current figure rows (the table the figures read).

tiaodu rollup check [--year 2025]     # compare the rows with the definition; exit 1 on any difference
tiaodu rollup rebuild [--year 2025]   # recompute them (after loading data around the services)
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tiaodu.figures.models import FigureRow
from tiaodu.figures.rollup import rollup_differences, rollup_rebuild
from tiaodu.projects.choices import KeyListStatus
from tiaodu.projects.models import KeyList

USAGE_ERROR = 2


class Command(BaseCommand):
    help = "检查或重建当前指标底数（指标页面读取的汇总表）。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check", "rebuild"], help="check：与定义逐行核对；rebuild：重新计算。")
        parser.add_argument("--year", type=int, action="append", help="只处理该年度（可重复）；默认为全部名单年度。")

    def handle(self, *args, **options):
        years = options["year"]
        if years and any(not 2000 <= year <= 2100 for year in years):
            raise CommandError(_("年度应在 2000 至 2100 之间。"), returncode=USAGE_ERROR)
        if options["action"] == "rebuild":
            count = rollup_rebuild(years)
            self.stdout.write(_("已重建当前指标底数：{count} 行。").format(count=count))
            return
        if years is None:
            published = KeyList.objects.filter(status=KeyListStatus.PUBLISHED)
            years = sorted(
                set(published.values_list("year", flat=True))
                | {d.year for d in FigureRow.objects.dates("period", "year")}
            )
        problems = []
        for year in years:
            for month in range(1, 13):
                problems += rollup_differences(datetime.date(year, month, 1))
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(_("当前指标底数与定义不一致：{count} 处。").format(count=len(problems)))
        self.stdout.write(_("当前指标底数与定义一致（{years}）。").format(years=", ".join(map(str, years)) or "—"))
