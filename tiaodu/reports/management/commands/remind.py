import datetime

from django.core.management.base import BaseCommand, CommandError

from tiaodu.core.dates import local_today
from tiaodu.reports.tasks import collect_reminders, send_report_reminders


class Command(BaseCommand):
    help = "排队发送月度调度提醒邮件，供定时任务调用；--dry-run 只列出收件人（queue the reminder emails, for cron）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="只列出收件人和提醒数，不发送（list recipients, send nothing）。"
        )
        parser.add_argument("--date", help="按该日期计算（YYYY-MM-DD），默认今天（compute as of this date）。")

    def handle(self, *args, dry_run=False, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else local_today()
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}") from None
        if dry_run:
            count = 0
            for user, found in collect_reminders(today):
                count += 1
                self.stdout.write(f"{user.email}\t{user}\toverdue={len(found.overdue)}\twaiting={len(found.waiting)}")
            self.stdout.write(f"dry run: {count} email(s) would be sent as of {today.isoformat()}")
            return
        result = send_report_reminders.enqueue(today=today.isoformat())
        self.stdout.write(f"queued send_report_reminders ({result.id}) as of {today.isoformat()}")
