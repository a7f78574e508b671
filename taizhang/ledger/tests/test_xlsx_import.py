"""Importing the ledger from Excel: all or nothing, errors by row and column."""

import datetime as dt
import io
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from taizhang.core.testing import make_person
from taizhang.ledger.models import Item, ItemEvent, KeyProject, KeyTask
from taizhang.ledger.xlsx import INSTRUCTIONS_SHEET, PROJECT_SHEET, TASK_SHEET, ledger_import
from taizhang.org.models import Role

from .xlsx_helpers import PROJECT_HEADERS, TASK_HEADERS, project_row, task_row, workbook_file

PO_FILE = Path(__file__).resolve().parents[3] / ".tmp" / "translations" / "ledger_xlsx.po"


@pytest.fixture
def zh_catalog(tmp_path, settings):
    """Chinese messages: the project's catalogue once merged, else this area's pending .po compiled here."""
    from django.utils import translation

    with translation.override("zh-hans"):
        if _("Cannot be negative.") != "Cannot be negative.":
            return
    if not PO_FILE.exists() or not shutil.which("msgfmt"):
        pytest.skip("no Chinese catalogue for the import messages yet")
    target = tmp_path / "zh_Hans" / "LC_MESSAGES"
    target.mkdir(parents=True)
    subprocess.run(["msgfmt", "-o", str(target / "django.mo"), str(PO_FILE)], check=True)  # noqa: S603, S607
    settings.LOCALE_PATHS = [str(tmp_path), *settings.LOCALE_PATHS]


def _import(world, sheets, actor=None):
    return ledger_import(actor=actor or world.supervisor, district=world.district, file=workbook_file(sheets))


def _errors(result):
    return [(e.sheet, e.row, e.column, e.message) for e in result.errors]


# --------------------------------------------------------------------------- happy path


def test_a_project_row_is_imported_with_units_leaders_choices_and_dates(world):
    before = Item.objects.count()

    result = _import(world, {PROJECT_SHEET: [PROJECT_HEADERS, project_row()]})

    assert result.ok, _errors(result)
    assert (result.projects, result.tasks) == (1, 0)
    assert Item.objects.count() == before + 1
    p = KeyProject.objects.get(code="XM-001")
    assert p.district == world.district
    assert (p.category, p.level, p.construction_type, p.phase) == ("industry", "city", "continuing", "construction")
    assert p.total_investment == Decimal("120000.00")
    assert p.completed_investment_year == Decimal("12000.50")
    assert p.land_area_mu == Decimal("350")
    assert p.latitude == Decimal("34.341600")
    assert p.start_date == dt.date(2025, 3, 1)
    assert p.deadline == dt.date(2027, 12, 31)
    assert p.lead_unit == world.dept_a
    assert set(p.cooperating_units.all()) == {world.dept_b, world.street}
    assert list(p.leaders.all()) == [world.leader]
    assert p.year == 2026
    assert p.events.filter(kind=ItemEvent.Kind.IMPORTED, actor=world.supervisor).exists()


def test_projects_and_tasks_import_together_from_one_workbook(world):
    result = _import(
        world,
        {
            PROJECT_SHEET: [PROJECT_HEADERS, project_row(), project_row(项目编号="XM-002", 项目名称="物流园")],
            TASK_SHEET: [TASK_HEADERS, task_row()],
        },
    )

    assert result.ok, _errors(result)
    assert (result.projects, result.tasks) == (2, 1)
    t = KeyTask.objects.get(code="RW-001")
    assert (t.source_title, t.source_date, t.progress_pct) == ("区委经济工作会议", dt.date(2026, 1, 10), Decimal("20"))
    assert t.lead_unit == world.dept_b and list(t.cooperating_units.all()) == [world.dept_a]


def test_headers_with_full_width_brackets_and_extra_columns_are_accepted(world):
    headers = [h.replace("(", "（").replace(")", "）") for h in PROJECT_HEADERS] + ["备注"]
    result = _import(world, {PROJECT_SHEET: [headers, project_row() + ["随便写"]]})

    assert result.ok, _errors(result)
    assert KeyProject.objects.filter(code="XM-001").exists()


def test_real_excel_dates_and_excel_serial_numbers_are_read_as_dates(world):
    result = _import(
        world,
        {
            PROJECT_SHEET: [
                PROJECT_HEADERS,
                project_row(开工日期=dt.datetime(2026, 3, 1), 计划竣工日期=46387),  # 46387 = 2026-12-31
            ]
        },
    )

    assert result.ok, _errors(result)
    p = KeyProject.objects.get(code="XM-001")
    assert (p.start_date, p.deadline) == (dt.date(2026, 3, 1), dt.date(2026, 12, 31))


# --------------------------------------------------------------------------- all or nothing


def test_one_bad_row_among_good_ones_saves_nothing_and_names_row_and_column(world):
    before = Item.objects.count()
    rows = [
        PROJECT_HEADERS,
        project_row(项目编号="A1"),
        project_row(项目编号="A2"),
        project_row(项目编号="A3"),
        project_row(项目编号="A4", 牵头单位="不存在的局"),
    ]

    result = _import(world, {PROJECT_SHEET: rows})

    assert not result.ok
    assert _errors(result) == [(PROJECT_SHEET, 5, "牵头单位", _("Unknown unit “%(name)s”.") % {"name": "不存在的局"})]
    assert (result.projects, result.tasks) == (0, 0)
    assert Item.objects.count() == before
    assert not ItemEvent.objects.filter(kind=ItemEvent.Kind.IMPORTED).exists()


def test_a_bad_task_row_rolls_back_the_good_project_sheet_too(world):
    before = Item.objects.count()

    result = _import(
        world,
        {
            PROJECT_SHEET: [PROJECT_HEADERS, project_row()],
            TASK_SHEET: [TASK_HEADERS, task_row(), task_row(任务编号="RW-002", 完成时限=None)],
        },
    )

    assert _errors(result) == [(TASK_SHEET, 3, "完成时限", _("This field is required."))]
    assert Item.objects.count() == before


def test_a_validation_error_raised_by_the_service_is_reported_on_its_row(world):
    # Only the model knows the name's maximum length: the service's ValidationError is caught per row.
    result = _import(
        world, {PROJECT_SHEET: [PROJECT_HEADERS, project_row(), project_row(项目编号="X2", 项目名称="长" * 201)]}
    )

    assert [(e.row, e.column) for e in result.errors] == [(3, "项目名称")]
    assert not KeyProject.objects.filter(code="XM-001").exists()


# --------------------------------------------------------------------------- each kind of bad input


BAD_PROJECT_CELLS = [
    ({"总投资(万元)": -5}, "总投资(万元)", "Cannot be negative."),
    ({"年度完成投资(万元)": "一千万"}, "年度完成投资(万元)", "“%(value)s” is not a number."),
    (
        {"累计完成投资(万元)": 200000},
        "累计完成投资(万元)",
        "Cumulative investment completed cannot exceed the total investment.",
    ),
    (
        {"年度计划投资(万元)": 130000},
        "年度计划投资(万元)",
        "This year's planned investment cannot exceed the total investment.",
    ),
    (
        {"开工日期": "2027-01-01", "计划竣工日期": "2026-01-01"},
        "计划竣工日期",
        "The deadline cannot be before the start date.",
    ),
    (
        {"开工日期": "明年春天"},
        "开工日期",
        "“%(value)s” is not a date; write it like 2026-03-01, 2026/3/1 or 2026年3月1日.",
    ),
    (
        {"开工日期": "2026-02-30"},
        "开工日期",
        "“%(value)s” is not a date; write it like 2026-03-01, 2026/3/1 or 2026年3月1日.",
    ),
    ({"配合单位": "住建局、不存在的办"}, "配合单位", "Unknown unit “%(name)s”."),
    ({"包抓领导": "发改填报员"}, "包抓领导", "“%(name)s” is not a leader of this district."),
    ({"项目阶段": "快完了"}, "项目阶段", "“%(value)s” is not allowed here. %(hint)s"),
    ({"项目名称": None}, "项目名称", "This field is required."),
    ({"纬度": 95}, "纬度", "Must be between −%(limit)s and %(limit)s."),
    ({"经度": None}, "经度", "Give both latitude and longitude, or neither."),
    ({"项目编号": "XM-9", "年度": "今年"}, "年度", "“%(value)s” is not a number."),
]


@pytest.mark.parametrize(("cells", "column", "msgid"), BAD_PROJECT_CELLS)
def test_each_bad_cell_is_reported_on_its_row_and_column(world, cells, column, msgid):
    result = _import(world, {PROJECT_SHEET: [PROJECT_HEADERS, project_row(项目编号="OK-1"), project_row(**cells)]})

    assert [(e.sheet, e.row, e.column) for e in result.errors] == [(PROJECT_SHEET, 3, column)]
    # The message is the translated msgid (a stable prefix is enough when it takes parameters).
    assert result.errors[0].message.startswith(_(msgid).split("%(")[0])
    assert not KeyProject.objects.filter(code="OK-1").exists()


def test_progress_above_100_is_refused(world):
    result = _import(world, {TASK_SHEET: [TASK_HEADERS, task_row(**{"进展(%)": 120})]})

    assert [(e.row, e.column, e.message) for e in result.errors] == [(2, "进展(%)", _("Must be between 0 and 100."))]


def test_duplicate_numbers_within_the_file_are_refused(world):
    result = _import(
        world,
        {
            PROJECT_SHEET: [PROJECT_HEADERS, project_row(项目编号="D-1")],
            TASK_SHEET: [TASK_HEADERS, task_row(任务编号="D-1")],
        },
    )

    assert [(e.sheet, e.row, e.column) for e in result.errors] == [(TASK_SHEET, 2, "任务编号")]
    assert "D-1" in result.errors[0].message and PROJECT_SHEET in result.errors[0].message
    assert not Item.objects.filter(code="D-1").exists()


def test_numbers_already_in_the_district_ledger_are_refused_but_other_districts_do_not_matter(world):
    KeyProject.objects.filter(pk=world.project_a.pk).update(code="XM-001")
    KeyProject.objects.filter(pk=world.foreign_project.pk).update(code="XM-002")

    result = _import(world, {PROJECT_SHEET: [PROJECT_HEADERS, project_row(项目编号="XM-002"), project_row()]})

    assert [(e.row, e.column) for e in result.errors] == [(3, "项目编号")]
    assert "智能装备产业园" in result.errors[0].message


def test_a_missing_required_column_is_reported_against_the_header_row(world):
    headers = [h for h in PROJECT_HEADERS if h != "牵头单位"]
    row = [v for h, v in zip(PROJECT_HEADERS, project_row(), strict=True) if h != "牵头单位"]

    result = _import(world, {PROJECT_SHEET: [headers, row]})

    assert _errors(result) == [
        (PROJECT_SHEET, 1, "牵头单位", _("This required column is missing from the header row."))
    ]


def test_a_workbook_without_the_ledger_sheets_is_refused(world):
    result = _import(world, {"Sheet1": [PROJECT_HEADERS, project_row()]})

    assert len(result.errors) == 1 and result.errors[0].row == 0
    assert PROJECT_SHEET in result.errors[0].message and TASK_SHEET in result.errors[0].message


@pytest.mark.parametrize(
    "content",
    [os.urandom(3000), b"PK\x03\x04" + os.urandom(3000), b"", "项目名称,牵头单位\n园区,发改局\n".encode()],
    ids=["random", "zip-header-then-garbage", "empty", "csv"],
)
def test_a_file_that_is_not_an_xlsx_is_refused_with_a_message(world, content):
    upload = SimpleUploadedFile("台账.xlsx", content)

    result = ledger_import(actor=world.supervisor, district=world.district, file=upload)

    assert [(e.row, e.message) for e in result.errors] == [
        (0, _("The file is not a readable Excel workbook (.xlsx). Save it as .xlsx from Excel or WPS and try again."))
    ]


def test_a_truncated_xlsx_is_refused(world):
    good = workbook_file({PROJECT_SHEET: [PROJECT_HEADERS, project_row()]}).read()
    upload = SimpleUploadedFile("台账.xlsx", good[: len(good) // 2])

    result = ledger_import(actor=world.supervisor, district=world.district, file=upload)

    assert len(result.errors) == 1 and not KeyProject.objects.filter(code="XM-001").exists()


@override_settings(TAIZHANG_MAX_IMPORT_BYTES=2048)
def test_an_oversized_upload_is_refused_before_it_is_read(world):
    upload = workbook_file({PROJECT_SHEET: [PROJECT_HEADERS] + [project_row(项目编号=f"B{i}") for i in range(40)]})
    assert upload.size > 2048

    result = ledger_import(actor=world.supervisor, district=world.district, file=upload)

    assert len(result.errors) == 1
    assert result.errors[0].message == _("The file is %(size).1f MB; an import may be at most %(limit).1f MB.") % {
        "size": upload.size / 1048576,
        "limit": 2048 / 1048576,
    }
    assert not KeyProject.objects.filter(code="B0").exists()


@override_settings(TAIZHANG_MAX_IMPORT_ROWS=3)
def test_too_many_rows_are_refused(world):
    rows = [PROJECT_HEADERS] + [project_row(项目编号=f"C{i}") for i in range(4)]

    result = _import(world, {PROJECT_SHEET: rows})

    assert [(e.row, e.message) for e in result.errors] == [
        (5, _("The file has more than %(max)d rows; split it into smaller files.") % {"max": 3})
    ]
    assert not KeyProject.objects.filter(code="C0").exists()


@override_settings(TAIZHANG_MAX_IMPORT_ROWS=3)
def test_blank_rows_do_not_count_towards_the_limit(world):
    rows = [PROJECT_HEADERS, project_row(项目编号="E1"), [None] * 5, [""] * 3, project_row(项目编号="E2")]

    result = _import(world, {PROJECT_SHEET: rows})

    assert result.ok, _errors(result)
    assert result.projects == 2


# --------------------------------------------------------------------------- messages in Chinese


def test_error_messages_are_in_chinese_for_a_chinese_reader(world, zh_catalog):
    from django.utils import translation

    with translation.override("zh-hans"):
        result = _import(
            world,
            {
                PROJECT_SHEET: [
                    PROJECT_HEADERS,
                    project_row(**{"总投资(万元)": -1}),
                    project_row(项目编号="X2", 牵头单位="不存在的局"),
                    project_row(项目编号="X3", 开工日期="2027-01-01", 计划竣工日期="2026-01-01"),
                ]
            },
        )

    messages = [e.message for e in result.errors]
    assert messages == ["不能为负数。", "未知单位“不存在的局”。", "完成时限不能早于开始日期。"]


# --------------------------------------------------------------------------- template


@pytest.mark.parametrize(
    ("kind", "sheet", "headers"),
    [
        ("project", PROJECT_SHEET, PROJECT_HEADERS),
        ("task", TASK_SHEET, TASK_HEADERS),
    ],
)
def test_the_template_has_the_importer_headers_and_re_imports_cleanly(client, world, kind, sheet, headers):
    client.force_login(world.supervisor)

    response = client.get(reverse("ledger:import_template", args=[kind]))

    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == [sheet, INSTRUCTIONS_SHEET]
    ws = wb[sheet]
    assert [c.value for c in ws[1]] == headers
    assert ws.freeze_panes == "A2"
    assert ws["B1"].font.b  # the name column, required
    # The blank template imports without complaint (and creates nothing)…
    blank = ledger_import(
        actor=world.supervisor, district=world.district, file=SimpleUploadedFile("t.xlsx", response.content)
    )
    assert blank.ok and blank.created == 0
    # …and once a row is typed under its headers, that row is imported.
    ws.append(project_row() if kind == "project" else task_row())
    buf = io.BytesIO()
    wb.save(buf)
    filled = ledger_import(
        actor=world.supervisor, district=world.district, file=SimpleUploadedFile("t.xlsx", buf.getvalue())
    )
    assert filled.ok, _errors(filled)
    assert filled.created == 1


def test_an_unknown_template_kind_is_404(client, world):
    client.force_login(world.supervisor)

    assert client.get(reverse("ledger:import_template", args=["budget"])).status_code == 404


# --------------------------------------------------------------------------- the import page


@pytest.mark.parametrize("role", ["reporter_a", "admin_a", "viewer_a", "leader"])
def test_only_the_supervision_and_policy_offices_may_import(client, world, role):
    client.force_login(getattr(world, role))
    url = reverse("ledger:import")

    assert client.get(url).status_code == 403
    response = client.post(url, {"file": workbook_file({PROJECT_SHEET: [PROJECT_HEADERS, project_row()]})})
    assert response.status_code == 403
    assert not KeyProject.objects.filter(code="XM-001").exists()


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(reverse("ledger:import"))

    assert response.status_code == 302 and "login" in response["Location"]


def test_the_policy_office_imports_through_the_page_and_sees_the_counts(client, world):
    client.force_login(world.policy)
    assert client.get(reverse("ledger:import")).status_code == 200

    upload = workbook_file({PROJECT_SHEET: [PROJECT_HEADERS, project_row()], TASK_SHEET: [TASK_HEADERS, task_row()]})
    response = client.post(reverse("ledger:import"), {"file": upload}, follow=True)

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        _("Imported %(projects)d key projects and %(tasks)d key tasks.") % {"projects": 1, "tasks": 1}
    ]
    assert KeyProject.objects.get(code="XM-001").district == world.district


def test_the_page_lists_every_problem_in_a_table_and_saves_nothing(client, world):
    client.force_login(world.supervisor)
    upload = workbook_file(
        {
            PROJECT_SHEET: [
                PROJECT_HEADERS,
                project_row(),
                project_row(项目编号="X2", **{"总投资(万元)": "abc"}),
                project_row(项目编号="X3", 牵头单位="无此局"),
            ]
        }
    )

    response = client.post(reverse("ledger:import"), {"file": upload})

    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="import-errors"' in html
    assert [(e.row, e.column) for e in response.context["result"].errors] == [(3, "总投资(万元)"), (4, "牵头单位")]
    assert "无此局" in html and "总投资(万元)" in html
    assert not KeyProject.objects.filter(code="XM-001").exists()


def test_a_supervisor_imports_into_their_own_district_only(client, world):
    outsider_unit_names = {world.foreign_project.lead_unit.name}
    assert "发改局" in outsider_unit_names  # same unit name exists in both districts
    client.force_login(world.outsider)
    make_person(world.other_district, Role.LEADER, name="王区长")

    upload = workbook_file({PROJECT_SHEET: [PROJECT_HEADERS, project_row(配合单位=None)]})
    client.post(reverse("ledger:import"), {"file": upload})

    p = KeyProject.objects.get(code="XM-001")
    assert p.district == world.other_district and p.lead_unit == world.foreign_project.lead_unit


# --------------------------------------------------------------------------- management command


def test_the_management_command_imports_a_file(world, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "台账.xlsx"
    path.write_bytes(workbook_file({PROJECT_SHEET: [PROJECT_HEADERS, project_row()]}).read())
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook_file({PROJECT_SHEET: [PROJECT_HEADERS, project_row(牵头单位="无此局")]}).read())

    with pytest.raises(CommandError):
        call_command("ledger_import", str(bad), district=world.district.code, stderr=io.StringIO())
    assert not KeyProject.objects.filter(code="XM-001").exists()

    out = io.StringIO()
    call_command("ledger_import", str(path), district=world.district.code, actor=world.supervisor.username, stdout=out)
    assert KeyProject.objects.get(code="XM-001").events.filter(actor=world.supervisor).exists()
    assert out.getvalue().strip() == _("Imported %(projects)d key projects and %(tasks)d key tasks.") % {
        "projects": 1,
        "tasks": 0,
    }
