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


def _has_published_scheme(district_id: int) -> bool:
    """Cached: grid intake must not pay a query per report to learn there is nothing to score."""
    from django.core.cache import cache

    from .models import Scheme

    key = f"assessment:has-published-scheme:{district_id}"
    found = cache.get(key)
    if found is None:
        found = Scheme.objects.filter(district_id=district_id, state=Scheme.State.PUBLISHED).exists()
        cache.set(key, found, 300)
    return found


def published_scheme_cache_clear(district_id: int) -> None:
    from django.core.cache import cache

    cache.delete(f"assessment:has-published-scheme:{district_id}")


def _district_of(instance, field: str, model) -> int | None:
    related = instance._state.fields_cache.get(field)  # already loaded by the service that wrote the event
    if related is not None:
        return related.district_id
    pk = getattr(instance, f"{field}_id")
    return model.objects.filter(pk=pk).values_list("district_id", flat=True).first()


def on_item_event(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from taizhang.ledger.models import Item

        district_id = _district_of(instance, "item", Item)
        if district_id and _has_published_scheme(district_id):
            schedule_recompute(district_id)


def on_case_event(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from taizhang.grid.models import Case

        district_id = _district_of(instance, "case", Case)
        if district_id and _has_published_scheme(district_id):
            schedule_recompute(district_id)
