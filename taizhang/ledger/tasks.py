"""Background tasks (django-tasks, database backend). Idempotent, taking ids."""

from django_tasks import task

from taizhang.org.models import District

from . import services


@task()
def ledger_daily() -> dict:
    """Recompute every district's statuses for today and escalate overdue whistles."""
    changed = sum(services.statuses_refresh(district_id=d) for d in District.objects.values_list("id", flat=True))
    escalated = services.whistles_escalate()
    return {"status_changes": changed, "escalated_whistles": escalated}
