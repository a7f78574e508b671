"""Scores follow the data: recompute a district's published schemes after a change.

Every change to the facts the metrics read (ledger items, reports, whistles,
supervision notices — all of which append an ``ledger.ItemEvent`` — and grid cases,
which append a ``grid.CaseEvent``) schedules one recomputation per district and
transaction, after commit. Recomputation is idempotent and leaves a run untouched
when its fingerprint has not changed; published runs keep their "data as of" day.
"""

from __future__ import annotations

from django.db import connection, transaction
from django_tasks import task

from taizhang.core.calendar import today as local_today


@task()
def assessment_recompute_district(district_id: int) -> int:
    """Recompute every started period of the district's published schemes; returns runs touched."""
    from .models import Scheme
    from .services import scheme_recompute_all

    today = local_today()
    runs = 0
    # Every published scheme: past years' runs are unchanged unless their data changed
    # (fingerprints), and published runs keep their "data as of" day.
    for scheme in Scheme.objects.filter(district_id=district_id, state=Scheme.State.PUBLISHED):
        runs += len(scheme_recompute_all(scheme=scheme, today=today))
    return runs


def schedule_recompute(district_id: int) -> None:
    """Enqueue one recomputation for ``district_id`` when the current transaction commits."""
    for _sids, func, _robust in connection.run_on_commit:
        if getattr(func, "assessment_district", None) == district_id:
            return  # already scheduled in this transaction

    def run():
        assessment_recompute_district.enqueue(district_id=district_id)

    run.assessment_district = district_id
    transaction.on_commit(run)


def on_item_event(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from taizhang.ledger.models import Item

        district_id = Item.objects.filter(pk=instance.item_id).values_list("district_id", flat=True).first()
        if district_id:
            schedule_recompute(district_id)


def on_case_event(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from taizhang.grid.models import Case

        district_id = Case.objects.filter(pk=instance.case_id).values_list("district_id", flat=True).first()
        if district_id:
            schedule_recompute(district_id)
