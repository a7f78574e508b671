"""Retrain the department-suggestion model of one district (or all) on its dispatch history."""

from django.core.management.base import BaseCommand, CommandError

from taizhang.grid.services import dispatch_model_train
from taizhang.org.models import District


class Command(BaseCommand):
    help = "Train the grid department-suggestion model from each district's past dispatches."

    def add_arguments(self, parser):
        parser.add_argument("district", nargs="?", help="district code (default: every district)")

    def handle(self, *args, district=None, **options):
        districts = District.objects.filter(code=district) if district else District.objects.all()
        if district and not districts:
            raise CommandError(f"No district with code {district!r}.")
        for d in districts:
            model = dispatch_model_train(district=d)
            if model is None:
                self.stdout.write(f"{d.name}: not trained (no classifier module or too little history).")
            else:
                acc = "—" if model.accuracy is None else f"{model.accuracy:.1%}"
                self.stdout.write(f"{d.name}: trained on {model.n_cases} cases, held-out accuracy {acc}.")
