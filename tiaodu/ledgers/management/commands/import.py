"""``tiaodu import``: the same import as the web page, from the command line.

tiaodu import projects 台账.xlsx --year 2025 --level city --region 140400 --user city_admin --dry-run
tiaodu import reports 7月调度.xls --period 2025-07 --user huguan_admin
tiaodu import problems 问题台账.xlsx --region 140427 --user huguan_admin
tiaodu import leads 招商项目台账.xlsx --region 140471 --user jingkai_admin
tiaodu import enterprises LED链上企业.xlsx --chain LED --region 140471 --user jingkai_admin
tiaodu import actuals 工业投资增速.xlsx --year 2025 --month 7 --user stats_admin

Prints the rows to create, update and leave unchanged, then every error (第N行「列名」"值"：原因).
Exit status: 0 when written (or, with --dry-run, when it would be), 1 when the file has errors
(nothing is written), 2 for a usage error.
"""

import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tiaodu.core.periods import parse_period
from tiaodu.projects.choices import KeyLevel

from ...importers import ACTION_LABELS, CREATE, UNCHANGED, UPDATE
from ...services import run_import
from ._common import FILE_ERRORS, find_chain, find_region, find_user, usage_error


class Command(BaseCommand):
    help = "导入重点项目名单、月度调度数据、问题台账、招商项目台账、链上企业名单或考核实绩（.xlsx、.xls、.ods、.csv）。"

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        projects = kinds.add_parser("projects", help="某年度某级别的重点项目名单（项目、列入名单、年度计划投资）")
        projects.add_argument("file")
        projects.add_argument("--year", type=int, required=True)
        projects.add_argument("--level", required=True, choices=KeyLevel.values)
        reports = kinds.add_parser("reports", help="某月份多个项目的月度调度数据")
        reports.add_argument("file")
        reports.add_argument("--period", required=True, help="月份，如 2025-07")
        reports.add_argument("--no-submit", action="store_true", help="只保存为草稿，不提交审核")
        problems = kinds.add_parser("problems", help="问题台账（项目、问题描述、问题类别、责任单位、办结时限）")
        problems.add_argument("file")
        leads = kinds.add_parser("leads", help="招商项目台账（投资方、意向投资额、阶段及各阶段日期、签约、落地企业）")
        leads.add_argument("file")
        enterprises = kinds.add_parser("enterprises", help="链上企业名单（企业、产业链、环节、角色）")
        enterprises.add_argument("file")
        enterprises.add_argument("--chain", default="", help="文件只含一条产业链时，该产业链的名称或编号")
        actuals = kinds.add_parser("actuals", help="某年某期间各县区的考核实绩（部门填报的指标）")
        actuals.add_argument("file")
        actuals.add_argument("--year", type=int, required=True)
        actuals.add_argument("--month", type=int, default=0, help="截至几月（1–12），0为全年")
        actuals.add_argument("--no-submit", action="store_true", help="只保存为草稿，不提交审核")
        for sub in (projects, reports, problems, leads, enterprises, actuals):
            sub.add_argument("--region", default="", help="文件中县区名称所属的市或县区代码；默认为用户所在区划")
            sub.add_argument("--user", default="", help="以该用户的身份和权限导入")
            sub.add_argument("--dry-run", action="store_true", help="只预览，不写入")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise usage_error(_("找不到文件：{path}").format(path=path))
        content = path.read_bytes()
        user = find_user(options["user"], required=True)
        region = find_region(options["region"])
        progress = self._progress if sys.stderr.isatty() else None
        kind = options["kind"]
        params = {}
        try:
            if kind == "projects":
                params = {"year": options["year"], "level": options["level"]}
            elif kind == "reports":
                params = {"period": parse_period(options["period"]), "submit": not options["no_submit"]}
            elif kind == "enterprises" and options["chain"]:
                params = {"options": {"chain": find_chain(options["chain"], user).pk}}
            elif kind == "actuals":
                params = {
                    "year": options["year"],
                    "options": {"month": options["month"]},
                    "submit": not options["no_submit"],
                }
            result = run_import(
                kind,
                actor=user,
                content=content,
                filename=path.name,
                region=region,
                dry_run=options["dry_run"],
                progress=progress,
                **params,
            )
        except ValidationError as error:
            raise usage_error("；".join(error.messages)) from None
        if progress:
            self.stderr.write("")
        counts = result.counts
        self.stdout.write(
            _("{create}：{n_create}　{update}：{n_update}　{unchanged}：{n_unchanged}").format(
                create=ACTION_LABELS[CREATE],
                update=ACTION_LABELS[UPDATE],
                unchanged=ACTION_LABELS[UNCHANGED],
                n_create=counts[CREATE],
                n_update=counts[UPDATE],
                n_unchanged=counts[UNCHANGED],
            )
        )
        for note in result.notes:
            self.stdout.write(note)
        if not result.ok:
            for line in result.problems.lines():
                self.stdout.write(line)
            raise CommandError(
                _("文件有{count}处错误，未写入任何数据。").format(count=len(result.problems)), returncode=FILE_ERRORS
            )
        if options["dry_run"]:
            self.stdout.write(_("预览完成（--dry-run），未写入。"))
        else:
            self.stdout.write(self.style.SUCCESS(_("导入完成。")))

    def _progress(self, done: int, total: int) -> None:
        if done == total or done % 50 == 0:
            width = 30
            filled = width * done // max(total, 1)
            self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
            self.stderr.flush()
