"""Tables appended to a plan (project lists, task tables): read as rows, one directive per data row."""

from datetime import date

from taizhang.speech.extract import extract_file, extract_text
from taizhang.speech.extract.clean import clean
from taizhang.speech.extract.loader import load_file
from taizhang.speech.extract.projects import add_listed
from taizhang.speech.extract.segment import segment
from taizhang.speech.extract.tasklist import find_tables, find_task_items, header_roles, split_cells

DAY = date(2027, 3, 2)
FW = "\u3000"  # full-width space

# an invented plan: a body paragraph, then a project list written as text with full-width-space columns
PLAN = "\n".join(
    [
        "柳川区2027年重点项目推进方案",
        "一、工作要求",
        "各镇街要加快云杉新材料、白鹭湾康养中心等重点项目建设。",
        "附件：2027年柳川区重点项目表",
        FW.join(["序号", "项目名称", "建设内容", "总投资", "责任单位"]),
        FW.join(["1", "云杉新材料项目", "建设年产3万吨高性能纤维生产线", "9.5亿元", "柳川经开区管委会"]),
        FW.join(["2", "白鹭湾康养中心", "新建康养用房4.2万平方米，床位800张", "6亿元", "区民政局、白鹭镇人民政府"]),
        FW.join(["3", "滨江北路改造工程", "改造道路2.6公里", "1.8亿元", "区住建局"]),
        "注：表中项目按行业分类排列。",
    ]
)


def _rows(result):
    return [d for d in result["directives"] if d["how"] == "table-row"]


# ---------- 1. the loader keeps Word tables where they stand ----------


def test_docx_tables_are_read_in_document_order_with_tabs(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("附件：重点项目表")
    t = d.add_table(rows=3, cols=4)
    for r, values in enumerate([("序号", "项目名称", "总投资", "责任单位"), ("1", "青橙物流园", "3亿元", "区商务局")]):
        for c, v in enumerate(values):
            t.cell(r, c).text = v
    merged = t.cell(2, 1).merge(t.cell(2, 2))  # a cell spanning two columns is given once
    merged.text = "全部项目另行印发"
    t.cell(2, 0).text = "说明"
    d.add_paragraph("以上项目由各责任单位抓好落实。")
    p = tmp_path / "plan.docx"
    d.save(p)

    lines = load_file(p).split("\n")
    assert lines[0] == "附件：重点项目表"
    assert lines[1] == "序号\t项目名称\t总投资\t责任单位"
    assert lines[2] == "1\t青橙物流园\t3亿元\t区商务局"
    assert lines[3].split("\t")[:2] == ["说明", "全部项目另行印发"]
    assert lines[3].count("全部项目另行印发") == 1
    assert lines[4] == "以上项目由各责任单位抓好落实。"


def test_docx_project_list_becomes_directives(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("附件：2027年重点项目表")
    t = d.add_table(rows=2, cols=4)
    for r, values in enumerate(
        [("序号", "项目名称", "总投资（亿元）", "牵头单位"), ("1", "青橙物流园", "3.5", "区商务局")]
    ):
        for c, v in enumerate(values):
            t.cell(r, c).text = v
    p = tmp_path / "plan.docx"
    d.save(p)
    r = extract_file(p, DAY)
    (row,) = _rows(r)
    assert row["owners"] == ["区商务局"] and row["projects"] == ["青橙物流园"]
    # the header says the unit of a bare number
    fig = next(f for f in r["figures"] if f["text"] == "3.5")
    assert fig["value"] == 350_000_000 and fig["unit"] == "元"
    assert not any(f["text"] == "1" for f in r["figures"])


# ---------- 2. detecting a table in text ----------


def test_cells_split_on_tabs_full_width_spaces_and_double_spaces():
    assert split_cells("1\t青橙物流园\t\t区商务局") == ["1", "青橙物流园", "", "区商务局"]
    assert split_cells(f"{FW}{FW}1{FW}青橙物流园{FW}{FW}区商务局") == ["1", "青橙物流园", "区商务局"]
    assert split_cells("1  青橙物流园   区商务局") == ["1", "青橙物流园", "区商务局"]


def test_a_header_needs_a_name_column_and_a_number_or_responsibility_column():
    assert header_roles(["序号", "项目名称", "建设内容", "总投资", "责任单位"]) == [
        "number",
        "name",
        "other",
        "other",
        "lead",
    ]
    assert header_roles(["工作任务", "牵头单位", "配合单位", "完成时限"]) == ["name", "lead", "support", "deadline"]
    assert header_roles(["序号", "指标名称", "单位"]) is None  # 指标名称 names no task or project
    assert header_roles(["项目名称", "建设内容", "总投资"]) is None  # no 序号, no responsibility
    assert header_roles(["洛州日报", "2027年1月12日", "星期二"]) is None


def test_rows_follow_the_header_through_group_titles_and_repeated_headers():
    head = "序号\t项目名称\t总投资\t责任单位"
    lines = [
        "附件：项目表",
        head,
        "一、产业项目",
        "1\t青橙物流园\t3亿元\t区商务局",
        "",
        head,  # the header repeated on the next page
        "2\t松石大道\t2亿元",  # one merged cell fewer
        "注：单位为亿元。",
        "3\t不属于表格的一行\t1\t2\t3\t4\t5",
    ]
    (t,) = find_tables(lines)
    assert t.header == 1 and t.rows == [3, 6] and t.repeats == [5]
    assert t.is_project_list


def test_clean_keeps_table_rows_apart_from_their_numbers():
    ct = clean(PLAN)
    assert "1\t云杉新材料项目\t建设年产3万吨高性能纤维生产线\t9.5亿元\t柳川经开区管委会" in ct.split("\n")
    assert "1云杉" not in ct
    # ordinary lines still lose their full-width spaces
    assert clean(f"{FW}{FW}各镇街要{FW}抓好落实。") == "各镇街要抓好落实。"


def test_a_table_line_is_one_sentence_and_never_a_heading_or_task_item():
    ct = "\n".join(["工作任务表", "序号\t工作任务\t责任单位", "1.\t建成社区食堂5个。新增托位200个。\t区民政局"])
    sections, sentences = segment(ct)
    row = [s for s in sentences if s.text.startswith("1.")]
    assert len(row) == 1 and not row[0].is_heading
    assert not sections
    assert find_task_items(ct, sentences, sections) == []


# ---------- 3. rows as directives ----------


def test_each_data_row_of_a_project_list_is_one_directive():
    r = extract_text(PLAN, DAY)
    rows = _rows(r)
    assert [d["projects"] for d in rows] == [["云杉新材料项目"], ["白鹭湾康养中心"], ["滨江北路改造工程"]]
    first, second, _ = rows
    assert first["text"] == "1\t云杉新材料项目\t建设年产3万吨高性能纤维生产线\t9.5亿元\t柳川经开区管委会"
    assert first["owners"] == ["柳川经开区管委会"] and first["deadline"] is None
    assert second["owners"] == ["区民政局", "白鹭镇人民政府"]
    texts = [d["text"] for d in r["directives"]]
    assert not any(t.startswith(("序号", "附件", "注")) for t in texts)


def test_row_figures_come_cell_by_cell():
    r = extract_text(PLAN, DAY)
    first = _rows(r)[0]
    got = {(q["text"], q["value"], q["unit"]) for q in first["quantities"]}
    assert got == {("3万吨", 30_000, "吨"), ("9.5亿元", 950_000_000, "元")}
    total = next(q for q in first["quantities"] if q["unit"] == "元")
    assert total["name"] == "云杉新材料项目总投资"
    # a row number is never a figure, nor part of one
    assert not any(f["text"].startswith(("1", "2", "3")) and f["span"][0] in _row_starts(r) for f in r["figures"])
    beds = next(f for f in r["figures"] if f["text"] == "800张")
    assert beds["value"] == 800


def _row_starts(r):
    return {d["span"][0] for d in _rows(r)}


def test_listed_projects_join_the_projects_of_the_text():
    r = extract_text(PLAN, DAY)
    names = r["projects"]
    # 云杉新材料 is named in the text first: one project, its shorter name kept
    assert "云杉新材料" in names and "云杉新材料项目" not in names
    assert "滨江北路改造工程" in names
    # nothing bleeds across the columns (row numbers, neighbouring cells)
    assert not any(n[0].isdigit() for n in names)
    assert not any("生产线" in n or "亿元" in n for n in names)


def test_a_listed_name_the_text_writes_in_full_replaces_a_shorter_reading():
    text = "加快推进白沙快速通道东段建设。"
    cut = {"name": "白沙快速通道", "span": [4, 10], "mentions": [[4, 10]]}
    listed = text + "\n白沙快速通道东段"
    out = add_listed([cut], listed, [(len(text) + 1, len(listed))])
    assert [p["name"] for p in out] == ["白沙快速通道东段"]
    assert out[0]["mentions"] == [[4, 12], [len(text) + 1, len(listed)]]


def test_task_table_owners_support_and_deadline_columns():
    text = "\n".join(
        [
            "2027年重点工作任务分解表",
            "序号\t工作任务\t牵头单位\t配合单位\t责任领导\t完成时限",
            "1\t新建柳溪污水处理厂二期，日处理能力2万吨\t区住建局\t区财政局、区生态环境分局\t王副区长\t2027年9月底前",
            "2\t完善社区养老服务网络\t区民政局\t\t李副区长\t持续推进",
        ]
    )
    r = extract_text(text, DAY, units=["区住房和城乡建设局", "住建局"])
    first, second = _rows(r)
    assert first["owners"] == ["住建局", "区财政局", "区生态环境分局"]
    assert first["lead"] == ["住建局"] and first["support"] == ["区财政局", "区生态环境分局"]
    assert first["leaders"] == ["王副区长"]  # people are never owners
    assert first["deadline"]["end"] == "2027-09-30"
    assert second["deadline"] is None and second["owners"] == ["区民政局"]
    # in a task table the task cell is read by the ordinary project and figure rules
    assert first["projects"] == ["柳溪污水处理厂二期"]
    assert [(q["value"], q["unit"]) for q in first["quantities"]] == [(20_000, "吨")]
    assert not any("王副区长" in p or "2027" in p for p in r["projects"])


def test_total_rows_and_tables_of_past_work_give_no_directives():
    head = FW.join(["序号", "项目名称", "总投资", "责任单位"])
    total = FW.join(["合计", "", "12亿元"])  # the empty cell disappears: 合计 and 12亿元
    plan = "\n".join(["附件：项目表", head, FW.join(["1", "青橙物流园", "12亿元", "区商务局"]), total])
    assert len(_rows(extract_text(plan, DAY))) == 1
    review = "\n".join(["附件：2026年重点项目完成情况表", head, FW.join(["1", "青橙物流园", "12亿元", "区商务局"])])
    r = extract_text(review, DAY)
    assert _rows(r) == []
    assert "青橙物流园" in r["projects"]


def test_roadbed_is_no_road_name():
    r = extract_text("8.推进道路建设。加快兰亭路西延工程建设，其中兰亭路西延5月底前完成路基施工。", DAY)
    assert not any(n.endswith("完成路") for n in r["projects"])
    assert r["projects"] == ["兰亭路西延工程"]


def test_header_synonyms_name_deadline_and_responsibility_columns():
    # a name column is any short cell ending in 事项/任务/工作/内容/项目/名称; a deadline column holds 时限/期限/时间/节点
    assert header_roles(["序号", "督办事项", "责任单位", "办结时限"]) == ["number", "name", "lead", "deadline"]
    assert header_roles(["编号", "整改任务", "承办单位", "协办部门", "整改期限"]) == [
        "number",
        "name",
        "lead",
        "support",
        "deadline",
    ]
    # with an outright name column, a cell that only ends like one is another column
    assert header_roles(["序号", "项目名称", "建设内容", "责任单位"]) == ["number", "name", "other", "lead"]
    text = "\n".join(
        [
            "附件：8月份交办事项清单",
            FW.join(["序号", "交办事项", "责任部门", "完成节点"]),
            FW.join(["1", "清理河道沿线违章搭建", "区水务局、柳溪镇", "2027年5月20日前"]),
            FW.join(["2", "补齐农贸市场消防设施", "区市场监管局", "2027年6月底前"]),
        ]
    )
    first, second = _rows(extract_text(text, DAY))
    assert first["owners"] == ["区水务局", "柳溪镇"] and first["deadline"]["end"] == "2027-05-20"
    assert second["owners"] == ["区市场监管局"] and second["deadline"]["end"] == "2027-06-30"
