"""``manage.py ledger_import FILE --district CODE [--actor USERNAME]``: the Excel import, from a shell.

Same rules as the import page (all or nothing); prints the problems by sheet, row and
column and exits non-zero when there are any.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from taizhang.ledger.xlsx import ledger_import
from taizhang.org.models import District, Person


class Command(BaseCommand):
    help = "Import key projects and key tasks from an .xlsx file into a district's ledger (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the .xlsx file.")
        parser.add_argument("--district", required=True, help="Code of the district.")
        parser.add_argument("--actor", default="", help="Username recorded in the items' history.")

    def handle(self, *args, file, district, actor, **options):
        try:
            target = District.objects.get(code=district)
        except District.DoesNotExist:
            raise CommandError(_("No district with code “%(code)s”.") % {"code": district})
        person = None
        if actor:
            person = Person.objects.filter(username=actor, district=target).first()
            if person is None:
                raise CommandError(_("No person “%(name)s” in this district.") % {"name": actor})
        try:
            with open(file, "rb") as fh:
                result = ledger_import(actor=person, district=target, file=fh)
        except OSError as exc:
            raise CommandError(str(exc))
        if not result.ok:
            for e in result.errors:
                self.stderr.write(f"{e.sheet or '-'}\t{e.row or '-'}\t{e.column or '-'}\t{e.message}")
            raise CommandError(_("Nothing was imported: %(n)d problems.") % {"n": len(result.errors)})
        self.stdout.write(
            _("Imported %(projects)d key projects and %(tasks)d key tasks.")
            % {"projects": result.projects, "tasks": result.tasks}
        )
