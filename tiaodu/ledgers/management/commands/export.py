"""``tiaodu export``: the files the web pages export, written from the command line.

tiaodu export projects --year 2025 --level province --region 140400 -o 省级重点工程.xlsx
tiaodu export reports --period 2025-07 --region 140427 --user huguan_admin -o 7月调度.xlsx
tiaodu export template projects -o 模板.xlsx
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tiaodu.core.dates import local_today
from tiaodu.core.periods import parse_period
from tiaodu.projects.choices import KeyLevel

from ...choices import ImportKind
from ...exports import export_project_list, export_reports, template_xlsx
from ...forms import default_period
from ._common import find_region, find_user, usage_error


class SystemReader:
    """The system itself reading (a scheduled export): unrestricted, without a login."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    pk = None


class Command(BaseCommand):
    help = "按上报格式导出重点项目名单、月度调度台账或导入模板（.xlsx）。"

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        projects = kinds.add_parser("projects", help="某年度某级别的重点项目名单")
        projects.add_argument("--year", type=int, required=True)
        projects.add_argument("--level", required=True, choices=KeyLevel.values)
        reports = kinds.add_parser("reports", help="某月份的月度调度台账")
        reports.add_argument("--period", required=True, help="月份，如 2025-07")
        template = kinds.add_parser("template", help="导入模板")
        template.add_argument("template_kind", choices=ImportKind.values)
        for sub in (projects, reports, template):
            sub.add_argument("--region", default="", help="区划代码；默认为全部（或用户所在区划）")
            sub.add_argument("--user", default="", help="按该用户的权限范围导出；默认为全部")
            sub.add_argument("-o", "--output", required=True, help="输出文件（.xlsx）")

    def handle(self, *args, **options):
        output = Path(options["output"])
        if output.suffix.lower() != ".xlsx":
            raise usage_error(_("输出文件应以 .xlsx 结尾。"))
        if not output.parent.exists():
            raise usage_error(_("目录不存在：{path}").format(path=output.parent))
        user = find_user(options["user"], required=False) or SystemReader()
        region = find_region(options["region"])
        try:
            if options["kind"] == "projects":
                _title, content = export_project_list(user, year=options["year"], level=options["level"], region=region)
            elif options["kind"] == "reports":
                _title, content = export_reports(user, period=parse_period(options["period"]), region=region)
            else:
                content = template_xlsx(
                    options["template_kind"], region=region, year=local_today().year, period=default_period()
                )
        except ValidationError as error:
            raise usage_error("；".join(error.messages)) from None
        output.write_bytes(content)
        self.stdout.write(_("已写入 {path}").format(path=output))
