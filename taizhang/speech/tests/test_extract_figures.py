from taizhang.speech.extract.figures import extract_figures


def one(s):
    figs = extract_figures(s)
    assert len(figs) == 1, figs
    return figs[0]


def test_yi_and_wan_are_normalised():
    f = one("到位资金100.9亿元")
    assert (f["value"], f["unit"], f["name"]) == (10090000000, "元", "到位资金")
    f = one("常住人口3.19万人")
    assert (f["value"], f["unit"]) == (31900, "人")
    assert one("发放补贴6797.36万元")["value"] == 67973600
    assert one("在线学习累计达到8.5万学时")["value"] == 85000


def test_change_sign_and_attachment():
    f = one("地区生产总值120亿元,同比增长7.2%")
    assert f["value"] == 12000000000 and f["change_pct"] == 7.2
    f = one("外贸进出口同比下降20%")
    assert f["change_pct"] == -20 and f["value"] is None and f["unit"] == "%"
    f = one("重污染天数同比减少2天")
    assert f["change_abs"] == -2 and f["unit"] == "天"


def test_approximations_flagged():
    assert one("开展培训30余次")["approx"] is True
    f = one("注册资金总额超过9亿元")
    assert f["approx"] is True and f["value"] == 900000000
    assert one("新增市场主体9100余户")["approx"] is True
    assert one("培训干部1300人")["approx"] is False
    f = one("办事效率提升七成以上")
    assert (f["value"], f["unit"], f["approx"]) == (70, "%", True)


def test_people_measure_words_normalise_to_persons():
    assert one("招聘网格员1300余名")["unit"] == "人"
    assert one("科技型研发人才177位")["unit"] == "人"


def test_names_dates_and_ordinals_are_not_figures():
    for s in [
        "抢抓地铁1号线3期开通机遇",
        "2022年首批典型案例",
        "瞄准世界500强",
        "PM10实现三连降",
        "深入实施“1339”战略",
        "增幅全市第3",
        "打造智慧政务服务2.0升级版",
        "今年5月23日召开",
    ]:
        assert extract_figures(s) == [], s


def test_placeholders_have_null_values():
    f = one("一般公共预算收入X亿元")
    assert f["value"] is None and f["unit"] == "元"


def test_xiang_in_xiangmu_is_not_a_unit():
    figs = extract_figures("像XX项目,这X个项目,聚焦动能转换")
    assert [f["text"] for f in figs] == ["X个"]
