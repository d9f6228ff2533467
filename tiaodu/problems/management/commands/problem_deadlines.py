import datetime

from django.core.management.base import BaseCommand, CommandError

from tiaodu.core.dates import local_today
from tiaodu.problems.tasks import check_problem_deadlines, problems_due, warning_days


class Command(BaseCommand):
    help = (
        "排队检查问题办理时限并提醒责任单位（临期提醒），供每日定时任务调用；"
        "--dry-run 只列出将提醒的问题（queue the deadline warnings, for cron）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出问题，不提醒（list, notify nobody）。")
        parser.add_argument("--date", help="按该日期计算（YYYY-MM-DD），默认今天（compute as of this date）。")

    def handle(self, *args, dry_run=False, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else local_today()
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}") from None
        if dry_run:
            count = 0
            for problem in problems_due(today):
                count += 1
                self.stdout.write(f"{problem.number}\t{problem.deadline.isoformat()}\t{problem.department}")
            self.stdout.write(
                f"dry run: {count} problem(s) due within {warning_days()} day(s) as of {today.isoformat()}"
            )
            return
        result = check_problem_deadlines.enqueue(today=today.isoformat())
        self.stdout.write(f"queued check_problem_deadlines ({result.id}) as of {today.isoformat()}")
