"""Indicator figures: recording, the computed table, pages, API, Excel in and out, the demo."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from taizhang.indicators import selectors, services, xlsx
from taizhang.indicators.models import ComparatorValue, Indicator, IndicatorTarget, IndicatorValue

OTHERS = ["金台区", "渭北区", "陈仓区"]


def _record(ind, year, month, actual, growth, city, others=()):
    return services.indicator_value_record(
        actor=None,
        indicator=ind,
        year=year,
        month=month,
        actual=D(actual),
        yoy_growth=D(growth),
        city_avg_growth=D(city),
        comparators=[services.Comparator(n, None, D(g)) for n, g in zip(OTHERS, others, strict=False)],
    )


@pytest.fixture
def gdp(world):
    ind = services.indicator_create(district=world.district, code="revenue", name="一般公共预算收入", unit="亿元")
    services.indicator_target_set(indicator=ind, year=2026, target=D("30"))
    _record(ind, 2026, 8, "19", "4.0", "4.5", ["5", "3", "4"])
    _record(ind, 2026, 9, "21", "5.0", "4.5", ["6", "5", "4"])
    _record(ind, 2026, 10, "22.5", "6.0", "4.5", ["7", "6", "6"])
    return ind


def test_table_computes_completion_lead_gap_rank_and_trend(gdp):
    [row] = selectors.indicator_table(gdp.district_id)
    assert (row.year, row.month) == (2026, 10)
    assert row.completion == D("75.0")  # 22.5 / 30
    assert row.time_progress == D("83.3")  # 10 / 12
    assert row.lead == D("-8.3")
    assert row.gap == D("1.5")  # 6.0 − 4.5
    assert row.rank.position == 2 and row.rank.of == 4  # 7, 6, 6, 6: ties share rank 2
    assert row.trend == "up" and row.improving is True
    assert row.flags == ["behind_time"]


def test_recording_a_month_again_replaces_it_with_its_comparators(gdp):
    _record(gdp, 2026, 10, "23", "6.5", "4.5", ["1"])
    value = IndicatorValue.objects.get(indicator=gdp, year=2026, month=10)
    assert value.actual == D("23")
    assert list(value.comparators.values_list("district_name", flat=True)) == ["金台区"]
    assert IndicatorValue.objects.filter(indicator=gdp).count() == 3


def test_quarterly_indicator_refuses_other_months_and_shows_its_quarter(world, gdp):
    from django.core.exceptions import ValidationError

    q = services.indicator_create(
        district=world.district, code="gdp", name="地区生产总值", unit="亿元", frequency=Indicator.Frequency.QUARTERLY
    )
    with pytest.raises(ValidationError):
        _record(q, 2026, 10, "400", "6", "5")
    _record(q, 2026, 9, "400", "6", "5")
    rows = {r.indicator.code: r for r in selectors.indicator_table(world.district.id)}
    assert rows["gdp"].month == 9 and rows["gdp"].actual == D("400")
    assert rows["gdp"].time_progress == D("75.0")


def test_table_takes_a_fixed_number_of_queries(world, gdp):
    with CaptureQueriesContext(connection) as few:
        selectors.indicator_table(world.district.id)
    for n in range(5):
        ind = services.indicator_create(district=world.district, code=f"x{n}", name=f"指标{n}", unit="亿元")
        services.indicator_target_set(indicator=ind, year=2026, target=D("10"))
        for month in (9, 10):
            _record(ind, 2026, month, "5", "1", "2", ["1", "2", "3"])
    with CaptureQueriesContext(connection) as many:
        rows = selectors.indicator_table(world.district.id)
    assert len(rows) == 6
    assert len(many.captured_queries) == len(few.captured_queries) <= 4


def test_index_page_shows_rank_and_flag(client, world, gdp):
    client.force_login(world.reporter_a)
    r = client.get(reverse("indicators:index"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "一般公共预算收入" in html and "75.0%" in html and "-8.3" in html and "+1.5" in html
    assert 'class="table-warning"' in html


def test_detail_page_and_other_district_is_404(client, world, gdp):
    client.force_login(world.supervisor)
    r = client.get(reverse("indicators:detail", args=[gdp.pk]))
    assert r.status_code == 200
    html = r.content.decode()
    assert "vendor/echarts/echarts.min.js" in html and "cdn" not in html.lower()
    assert 'id="ranking-table"' in html and "秦川区" in html
    client.force_login(world.outsider)
    assert client.get(reverse("indicators:detail", args=[gdp.pk])).status_code == 404


def test_api_lists_own_district_with_computed_columns(client, world, gdp):
    client.force_login(world.viewer_a)
    data = client.get("/api/indicators/").json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [r["code"] for r in rows] == ["revenue"]
    assert rows[0]["latest"]["completion_pct"] == "75.0" and rows[0]["latest"]["rank"] == 2
    client.force_login(world.outsider)
    data = client.get("/api/indicators/").json()
    assert (data["results"] if isinstance(data, dict) else data) == []


# --------------------------------------------------------------------------- Excel


def _upload(rows, headers=None):
    wb = Workbook()
    ws = wb.active
    ws.title = xlsx.SHEET
    ws.append(headers or [*xlsx.FIXED, "金台区累计", "金台区增长(%)", "渭北区累计", "渭北区增长(%)"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "figures.xlsx"
    return buf


def test_template_has_the_chinese_headers_and_known_districts(client, world, gdp):
    client.force_login(world.supervisor)
    r = client.get(reverse("indicators:import_template"))
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    headers = [c.value for c in wb[xlsx.SHEET][1]]
    assert headers[:7] == ["指标", "年份", "月份", "全年目标", "累计完成", "同比增长(%)", "全市平均增长(%)"]
    assert headers[7:9] == ["金台区累计", "金台区增长(%)"]
    assert "一般公共预算收入" in [c.value for c in wb[xlsx.INSTRUCTIONS_SHEET]["A"]]


def test_import_records_rows_and_other_districts(world, gdp):
    f = _upload(
        [
            ["一般公共预算收入", 2026, 11, 32, 25.1, "6.2", 4.8, 40.5, 7.1, None, None],
            ["revenue", 2025, 11, None, 23.6, 3.0, 3.5, 38, 2.0, 20, "-1.5"],
        ]
    )
    result = xlsx.indicators_import(actor=world.supervisor, district=world.district, file=f)
    assert result.ok, result.errors
    assert result.recorded == 2
    v = IndicatorValue.objects.get(indicator=gdp, year=2026, month=11)
    assert (v.actual, v.yoy_growth, v.city_avg_growth) == (D("25.10"), D("6.2"), D("4.8"))
    assert list(v.comparators.values_list("district_name", "growth")) == [("金台区", D("7.1"))]
    assert IndicatorTarget.objects.get(indicator=gdp, year=2026).target == D("32")
    assert ComparatorValue.objects.get(value__year=2025, district_name="渭北区").growth == D("-1.5")


def test_import_is_all_or_nothing_with_row_errors(world, gdp):
    f = _upload(
        [
            ["一般公共预算收入", 2026, 11, None, 25, 6, 4.8],
            ["不存在的指标", 2026, 11, None, 25, 6, 4.8],
            ["一般公共预算收入", 2026, 13, None, "abc", 6, 4.8],
            ["一般公共预算收入", 2026, 11, None, 26, 6, 4.8],
        ]
    )
    before = IndicatorValue.objects.count()
    result = xlsx.indicators_import(actor=world.supervisor, district=world.district, file=f)
    assert not result.ok and result.recorded == 0
    found = {(e.row, e.column) for e in result.errors}
    assert {(3, "指标"), (4, "月份"), (4, "累计完成"), (5, "指标")} <= found
    assert IndicatorValue.objects.count() == before


def test_import_rejects_a_file_without_required_columns_and_non_xlsx(world, gdp):
    result = xlsx.indicators_import(
        actor=None, district=world.district, file=_upload([["x"]], headers=["指标", "累计完成"])
    )
    assert {e.column for e in result.errors} == {"年份", "月份"}
    result = xlsx.indicators_import(actor=None, district=world.district, file=io.BytesIO(b"not a workbook"))
    assert not result.ok and result.errors[0].row == 0


def test_export_reimports_as_it_is(client, world, gdp):
    client.force_login(world.supervisor)
    r = client.get(reverse("indicators:export"), {"year": 2026})
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb.active
    assert [c.value for c in ws[1]][:7] == xlsx.FIXED and ws.max_row == 4
    IndicatorValue.objects.filter(indicator=gdp).delete()
    result = xlsx.indicators_import(actor=None, district=world.district, file=io.BytesIO(r.content))
    assert result.ok and result.recorded == 3
    [row] = selectors.indicator_table(world.district.id)
    assert row.completion == D("75.0") and row.rank.position == 2


def test_import_page_only_for_the_offices(client, world, gdp):
    client.force_login(world.reporter_a)
    assert client.get(reverse("indicators:import")).status_code == 403
    client.force_login(world.supervisor)
    bad = _upload([["不存在的指标", 2026, 11, None, 25, 6, 4.8]])
    r = client.post(reverse("indicators:import"), {"file": bad})
    assert r.status_code == 422 and "import-errors" in r.content.decode()
    good = _upload([["一般公共预算收入", 2026, 11, None, 25, 6, 4.8]])
    r = client.post(reverse("indicators:import"), {"file": good})
    assert r.status_code == 302
    assert IndicatorValue.objects.filter(indicator=gdp, month=11).exists()


def test_demo_loads_twelve_indicators_with_a_full_year(world):
    from taizhang.indicators.demo import load

    load(district=world.district, today=dt.date(2026, 11, 21), people={})
    assert Indicator.objects.filter(district=world.district).count() == 12
    revenue = Indicator.objects.get(district=world.district, code="revenue")
    assert revenue.values.filter(year=2025).count() == 12
    assert revenue.values.filter(year=2026).count() == 10
    assert revenue.values.get(year=2026, month=10).comparators.count() == 9
    rows = selectors.indicator_table(world.district.id)
    assert len(rows) == 12 and all(r.rank for r in rows)
    assert {r.month for r in rows} == {9, 10}  # quarterly ones show September
    assert any(r.behind for r in rows) and not all(r.behind for r in rows)
