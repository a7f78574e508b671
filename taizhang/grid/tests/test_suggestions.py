"""The department suggestion: trained on the district's own dispatch history, shown with its probability."""

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from taizhang.grid import services
from taizhang.grid.models import DispatchModel


def history(g, n=12):
    w = g.world
    for i in range(n):
        for cat, unit, text in ((g.road, w.dept_b, "人行道地砖破损坑洼"), (g.litter, w.dept_a, "垃圾桶满溢垃圾散落")):
            case = services.case_report(
                district=w.district,
                category=cat,
                description=f"{text}{i}",
                lat=g.inside[0],
                lng=g.inside[1] + i * 0.001,
            )
            services.case_dispatch_confirm(actor=g.dispatcher, case=case, units=[unit])


def test_model_is_trained_from_history_and_suggests_on_the_dispatch_screen(g):
    history(g)
    model = services.dispatch_model_train(district=g.world.district)
    assert model is not None and model.n_cases == 24 and 0 <= model.accuracy <= 1
    case = services.case_report(
        district=g.world.district, category=g.road, description="路面地砖破损", lat=g.inside[0], lng=g.inside[1]
    )
    c = Client()
    c.force_login(g.dispatcher)
    html = c.get(reverse("grid:case", args=[case.pk])).content.decode()
    assert "Suggested from past dispatches" in html or "根据以往派遣建议" in html
    suggestion = html.split('badge bg-info text-dark me-1">')[1].split("</span>")[0]
    assert suggestion.startswith("住建局") and suggestion.endswith("%")
    # Department staff never see the dispatch block.
    c.force_login(g.world.reporter_a)
    assert "bg-info" not in c.get(reverse("grid:case", args=[case.pk])).content.decode()


def test_too_little_history_trains_nothing(g):
    assert services.dispatch_model_train(district=g.world.district) is None
    assert not DispatchModel.objects.exists()


def test_retrain_by_command_and_by_task_from_the_board(g, django_capture_on_commit_callbacks):
    history(g)
    call_command("grid_train", g.world.district.code)
    assert DispatchModel.objects.count() == 1
    c = Client()
    c.force_login(g.dispatcher)
    with django_capture_on_commit_callbacks(execute=True):
        assert c.post(reverse("grid:train")).status_code == 302
    assert DispatchModel.objects.count() == 2
    c.force_login(g.world.reporter_a)
    assert c.post(reverse("grid:train")).status_code == 403
