import datetime

from django.core.management.base import BaseCommand, CommandError

from tiaodu.attraction.selectors import alarm_days, alarms_all
from tiaodu.attraction.tasks import check_attraction_alarms
from tiaodu.core.dates import local_today


class Command(BaseCommand):
    help = (
        "排队检查招商项目三未预警并提醒责任人，供每日定时任务调用；"
        "--dry-run 只列出预警（queue the 三未 alarm notifications, for cron）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出预警，不提醒（list, notify nobody）。")
        parser.add_argument("--date", help="按该日期计算（YYYY-MM-DD），默认今天（compute as of this date）。")

    def handle(self, *args, dry_run=False, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else local_today()
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}") from None
        if dry_run:
            count = 0
            for lead, rule in alarms_all(today):
                count += 1
                self.stdout.write(f"{lead.number}\t{rule.name}\t{alarm_days(lead, rule, today)}\t{lead.name}")
            self.stdout.write(f"dry run: {count} alarm(s) as of {today.isoformat()}")
            return
        result = check_attraction_alarms.enqueue(today=today.isoformat())
        self.stdout.write(f"queued check_attraction_alarms ({result.id}) as of {today.isoformat()}")
