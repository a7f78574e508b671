"""``manage.py demo_load``: load the demo district 秦川区 and print its logins.

Idempotent: when the demo district exists, only the logins are printed.
``--reset`` deletes it and builds it again.
"""

import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from taizhang.core.demo import DEMO_PASSWORD, DEMO_URL, WEEKS, demo_load


class Command(BaseCommand):
    help = "Load the demo district (秦川区) with a year of ledger data; print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete the demo district and build it again.")
        parser.add_argument(
            "--weeks", type=int, default=WEEKS, help=f"Weeks of progress reports to replay (default {WEEKS})."
        )

    def handle(self, *args, reset=False, weeks=WEEKS, **options):
        started = time.perf_counter()
        try:
            result = demo_load(reset=reset, weeks=max(1, min(weeks, 52)))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if result.created:
            c = result.counts
            self.stdout.write(
                _(
                    "Demo district %(district)s created in %(seconds).1f s: %(projects)d key projects, "
                    "%(tasks)d key tasks, %(reports)d progress reports, %(whistles)d whistles, "
                    "%(notices)d supervision notices."
                )
                % {"district": result.district.name, "seconds": time.perf_counter() - started, **c}
            )
        else:
            self.stdout.write(
                _("Demo district %(district)s already exists (use --reset to rebuild it).")
                % {"district": result.district.name}
            )
        self.stdout.write("")
        self.stdout.write(result.table())
        self.stdout.write("")
        self.stdout.write(_("Every demo account has the password: %(password)s") % {"password": DEMO_PASSWORD})
        url = os.environ.get("TAIZHANG_DEMO_URL") or DEMO_URL  # `make demo HOST=… PORT=…` sets it
        self.stdout.write(_("Open %(url)s and sign in.") % {"url": url})
