"""``tiaodu figures``: a month's figures in the terminal, or as one JSON object for a script.

tiaodu figures --period 2025-07                          # the whole system, as a scheduled briefing
tiaodu figures --period 2025-07 --region 140400 --json   # the JSON the API answers
tiaodu figures --period 2025-07 --user city_admin        # what that user would see
"""

import json
import unicodedata

from django.contrib.auth import get_user_model
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaodu.core.periods import format_period
from tiaodu.core.tables import format_money
from tiaodu.core.templatetags.tiaodu import yi
from tiaodu.figures.forms import CURRENT, LOCK, FigureQueryForm
from tiaodu.figures.selectors import Figures, figures
from tiaodu.projects.choices import KeyLevel, Sector, Stage

USAGE_ERROR = 2  # the status of a bad command line, as argparse uses


class SystemReader:
    """The system itself reading the figures (a scheduled briefing): unrestricted, and no login."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    pk = None

    def __str__(self) -> str:
        return "system"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(rows: list[tuple[str, ...]]) -> list[str]:
    """Columns that line up with Chinese text in a terminal; the first row is the header."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


class Command(BaseCommand):
    help = "显示某月的重点项目调度指标（开工率、复工率、投资完成率、投产率、分阶段项目数）。"

    def add_arguments(self, parser):
        parser.add_argument("--period", default="", help="月份，如 2025-07；默认为上一个已结束的月份。")
        parser.add_argument("--region", default="", help="区划代码，如 140400；默认为全部。")
        parser.add_argument("--level", default="", help="名单级别：province（省级）、city（市级）或 county（县级）。")
        parser.add_argument("--sector", default="", help="行业类别，如 industry、energy。")
        parser.add_argument("--as-of-lock", action="store_true", help="按该月锁定时的数据（该月须已锁定）。")
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象（与 /api/figures/ 相同）。")
        parser.add_argument("--user", default="", help="按该用户的查看范围计算；默认不限范围（系统）。")

    def handle(self, *args, **options):
        reader = self.reader(options["user"])
        form = FigureQueryForm(
            {
                "period": options["period"],
                "region": options["region"],
                "level": options["level"],
                "sector": options["sector"],
                "as_of": LOCK if options["as_of_lock"] else CURRENT,
            },
            user=reader,
        )
        if not form.is_valid():
            raise CommandError("\n".join(form.messages()), returncode=USAGE_ERROR)
        result = figures(reader, form.query)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        for line in self.readable(result):
            self.stdout.write(line)

    def reader(self, username: str):
        if not username:
            return SystemReader()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("用户“{username}”不存在。").format(username=username), returncode=USAGE_ERROR)
        if not user.is_active:
            raise CommandError(_("用户“{username}”已停用。").format(username=username), returncode=USAGE_ERROR)
        return user

    def readable(self, result: Figures) -> list[str]:
        query = result.query
        where = query.region.name if query.region else _("全部")
        if result.lock:
            basis = _("锁定时数据：{at} 由 {by} 锁定").format(
                at=timezone.localtime(result.lock.locked_at).strftime("%Y-%m-%d %H:%M"), by=result.lock.locked_by
            )
        else:
            basis = _("当前数据")
        lines = [
            _("{region} {period} 重点项目调度指标（{basis}）").format(
                region=where, period=format_period(query.period), basis=basis
            )
        ]
        filters = [str(KeyLevel(query.level).label)] if query.level else []
        filters += [str(Sector(query.sector).label)] if query.sector else []
        if filters:
            lines.append(_("筛选：{filters}").format(filters="，".join(filters)))
        rows = [(_("指标"), _("分子"), _("分母"), _("比率"), _("同比"))]
        for key, value in result.rates.items():
            if value.is_money:
                numerator = _("{wan}万元（{yi}亿元）").format(wan=format_money(value.numerator), yi=yi(value.numerator))
                denominator = _("{wan}万元（{yi}亿元）").format(
                    wan=format_money(value.denominator), yi=yi(value.denominator)
                )
            else:
                numerator, denominator = intcomma(value.numerator), intcomma(value.denominator)
            rate = "—" if value.rate is None else f"{value.rate}%"
            yoy = result.yoy(key)
            change = "—" if yoy is None else _("{points}个百分点").format(points=f"{yoy:+}")
            rows.append((str(value.label), numerator, denominator, rate, change))
        lines += ["", *format_table(rows), ""]
        lines.append(
            _("名单项目 {total} 个，本月已报 {reported} 个。").format(
                total=intcomma(result.total), reported=intcomma(result.reported)
            )
        )
        stages = "，".join(f"{Stage(stage).label} {count}" for stage, count in result.stages.items())
        lines.append(_("分阶段：{stages}。").format(stages=stages))
        return lines
