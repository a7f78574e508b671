"""Background tasks (django-tasks). Idempotent, taking ids."""

from django_tasks import task

from taizhang.org.models import District

from . import services


@task()
def grid_escalate() -> int:
    """Escalate overdue cases, each clock once: department assignments and cases not dispatched in time by the
    command centre (``services.cases_escalate``). Run every few minutes (``manage.py grid_escalate`` from cron, or
    enqueue this task for the ``db_worker``)."""
    return services.cases_escalate()


@task()
def grid_train(district_id: int) -> dict:
    """Retrain a district's department-suggestion model on its dispatch history."""
    model = services.dispatch_model_train(district=District.objects.get(pk=district_id))
    if model is None:
        return {"trained": False}
    return {"trained": True, "n_cases": model.n_cases, "accuracy": model.accuracy}
