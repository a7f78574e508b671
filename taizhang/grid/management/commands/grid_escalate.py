"""Escalate overdue grid assignments (run from cron every few minutes; each case escalates once)."""

from django.core.management.base import BaseCommand

from taizhang.grid.services import cases_escalate


class Command(BaseCommand):
    help = "Notify department heads, responsible leaders and the command centre of overdue grid cases."

    def handle(self, *args, **options):
        self.stdout.write(f"{cases_escalate()} overdue cases escalated.")
