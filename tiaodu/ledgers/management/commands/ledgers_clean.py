"""``tiaodu ledgers_clean [--days N]``: delete uploaded ledger files past their keeping time (run daily)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tiaodu.ledgers.services import ledger_uploads_clean

from ._common import usage_error


class Command(BaseCommand):
    help = _("删除超过保存期限的上传台账文件（导入记录和结果保留）")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help=_("保存天数（默认取设置 LEDGERS_UPLOAD_KEEP_DAYS，为7天）"))

    def handle(self, *args, days=None, **options):
        if days is not None and days < 0:
            raise usage_error(_("--days 不能为负数。"))
        count = ledger_uploads_clean(days=days)
        self.stdout.write(_("已删除{count}个上传文件。").format(count=count))
