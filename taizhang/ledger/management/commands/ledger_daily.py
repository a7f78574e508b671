from django.core.management.base import BaseCommand

from taizhang.ledger.tasks import ledger_daily


class Command(BaseCommand):
    help = "Recompute statuses for today and escalate unanswered whistles (run daily, e.g. from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Queue the work for the db_worker instead.")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = ledger_daily.enqueue()
            self.stdout.write(f"queued {result.id}")
            return
        self.stdout.write(str(ledger_daily.call()))
