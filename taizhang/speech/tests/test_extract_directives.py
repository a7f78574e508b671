"""Directive, owner and project behaviour on a synthetic speech (not a corpus document)."""

from datetime import date

import pytest

from taizhang.speech.extract import extract_text

SPEECH = """在全区重点工作推进会上的讲话
同志们:
今天召开这次会议,主要任务是安排部署今年重点工作。
一、肯定成绩
去年,全区引进项目36个,到位资金100.9亿元,同比增长7.2%。新增市场主体9100余户,荣获国家级荣誉22项。这些成绩来之不易。
二、明确任务
1.项目建设要提速。
加快陇东区域医疗中心、红色文化园、岐黄文化城等重点项目进度,确保10月底前主体完工。
由区发改局牵头,区财政局、区自然资源局配合,3月底或4月初完成项目储备库更新。
各乡镇要在年底前完成72个老旧小区改造。
从3月1日起,全面推行项目周调度制度。
2.营商环境要优化。
一要提升服务效能。对于企业反映的问题,进一步压缩办理时限,推行容缺受理。
区政协要围绕民营经济发展开展专题调研,下半年形成调研报告。
各街道各部门务必高度重视安全生产,抓紧开展隐患排查。
工信局要力争年内新增规上工业企业10户。
去年全区已建成5G基站300个。
同志们,让我们团结一心,共同谱写新篇章!
"""

UNITS = ["区发改局", "区财政局", "区自然资源局", "区政协", "区工信局", "区委政研室"]


@pytest.fixture(scope="module")
def result():
    return extract_text(SPEECH, date(2024, 2, 20), units=UNITS)


def find(result, needle):
    hits = [d for d in result["directives"] if needle in d["text"]]
    assert hits, f"no directive containing {needle!r}: {[d['text'] for d in result['directives']]}"
    return hits[0]


def test_speech_mode_and_descriptive_sentences_skipped(result):
    assert result["mode"] == "speech"
    texts = " ".join(d["text"] for d in result["directives"])
    assert "引进项目36个" not in texts
    assert "荣获" not in texts
    assert "已建成5G基站" not in texts
    assert "主要任务是" not in texts


def test_projects_from_enumeration(result):
    d = find(result, "陇东区域医疗中心")
    assert d["projects"] == ["陇东区域医疗中心", "红色文化园", "岐黄文化城"]
    assert d["deadline"]["end"] == "2024-10-31"
    for p in ["陇东区域医疗中心", "红色文化园", "岐黄文化城"]:
        assert p in result["projects"]


def test_lead_and_support_owners_matched_to_units(result):
    d = find(result, "项目储备库")
    assert d["owners"] == ["区发改局", "区财政局", "区自然资源局"]
    assert d["lead"] == ["区发改局"] and d["support"] == ["区财政局", "区自然资源局"]
    assert (d["deadline"]["start"], d["deadline"]["end"]) == ("2024-03-21", "2024-04-10")


def test_collective_owner_kept_as_written_and_quantities(result):
    d = find(result, "老旧小区")
    assert d["owners"] == ["各乡镇"]
    assert d["deadline"]["end"] == "2024-12-31"
    assert any(q["value"] == 72 and q["unit"] == "个" for q in d["quantities"])
    assert find(result, "隐患排查")["owners"] == ["各街道各部门"]


def test_start_date_is_not_deadline(result):
    d = find(result, "周调度")
    assert d["deadline"] is None and d["start"]["date"] == "2024-03-01"


def test_subject_carried_from_heading(result):
    d = find(result, "压缩办理时限")
    assert d["how"] in ("carried", "explicit")


def test_unit_list_matching_abbreviation(result):
    assert find(result, "规上工业企业")["owners"] == ["区工信局"]
    d = find(result, "专题调研")
    assert d["owners"] == ["区政协"] and d["deadline"]["start"] == "2024-07-01"


def test_spans_point_into_clean_text(result):
    ct = result["clean_text"]
    for d in result["directives"]:
        a, b = d["span"]
        assert ct[a:b] == d["text"]
    for f in result["figures"]:
        a, b = f["span"]
        assert ct[a:b] == f["text"]


def test_work_report_sentences_are_not_directives():
    report = (
        "今年以来,我区加快城市有机更新,统筹推进旧改项目。全年新增城镇就业9717人。"
        "坚定不移落实“疫情要防住、经济要稳住、发展要安全”工作要求。把就业作为头等民生大事。"
    )
    r = extract_text(report, date(2022, 9, 1))
    assert r["mode"] == "report"
    assert r["directives"] == []


def test_owner_lists_split_and_non_units_ignored():
    from taizhang.speech.extract.owners import find_owners

    assert find_owners("各街道、各有关部门也与区委区政府签订了责任状,必须不折不扣的落实好")[0] == [
        "各街道",
        "各有关部门",
    ]
    assert find_owners("这更是XX干部应有的责任和担当,要坚持发展第一要务")[0] == []
    assert find_owners("紧盯城乡结合部、城市出入口等重点区域,加大投入")[0] == []
