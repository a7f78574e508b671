"""Import grid cells from a GeoJSON FeatureCollection (properties: code, name, street, community)."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from taizhang.grid.services import cells_import_geojson
from taizhang.org.models import District


class Command(BaseCommand):
    help = "Import grid cells from a GeoJSON file into a district (by district code)."

    def add_arguments(self, parser):
        parser.add_argument("district", help="district code")
        parser.add_argument("path", help="GeoJSON FeatureCollection file")

    def handle(self, *args, district, path, **options):
        d = District.objects.filter(code=district).first()
        if d is None:
            raise CommandError(f"No district with code {district!r}.")
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
            n = cells_import_geojson(district=d, data=data)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"{n} grid cells imported into {d.name}.")
