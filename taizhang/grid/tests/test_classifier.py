"""The department suggester, on a synthetic but realistic dispatch history.

The corpus mimics what 网格员 type into the app: a place (street, crossing, estate),
the problem in the words people use, sometimes a detail. Departments overlap the way
they do in a real district (积水 goes to 市政 or 水务, 扬尘 to 住建局 or 生态环境), and a share
of past cases were dispatched "wrongly" (label noise), so 100 % is impossible and
calibration can be checked: the mean confidence should match the accuracy.
"""

import json
import random
import time

import pytest

from taizhang.grid import classifier
from taizhang.grid.classifier import Model, evaluate, train

ROADS = "人民路 解放路 渭滨路 宝光路 清姜路 经二路 高新大道 英达路 石鼓路 公园路 西关街 火炬路".split()
ESTATES = ["锦绣苑", "金台花园", "渭水家园", "清姜小区", "铁路新村", "阳光城", "枫叶小区", "长寿沟社区", "引渭路小区"]
PLACES = ["门口", "北侧", "南门", "东侧人行道", "西侧", "附近", "对面", "路段", "3号楼下", "菜市场旁"]
TAILS = ["", ""] + "，请尽快处理 ，群众反映强烈 ，已持续多日 ，存在安全隐患 ，影响居民出行 ，多次反映未解决".split()

PROBLEMS = {
    "城管局": [
        "占道经营",
        "流动摊贩占道",
        "门店出店经营",
        "乱堆乱放杂物",
        "违规设置户外广告牌",
        "私搭乱建彩钢棚",
        "夜市摊点油烟占道",
        "建筑垃圾乱倒",
    ],
    "市政": [
        "井盖缺失",
        "井盖破损松动",
        "路灯不亮",
        "道路坑洼破损",
        "人行道砖松动",
        "护栏损坏",
        "路面塌陷",
        "路面积水",
    ],
    "水务": [
        "雨水管道堵塞污水外溢",
        "供水管道破裂漏水",
        "下水道堵塞返水",
        "污水井冒水",
        "小区停水",
        "排水沟淤堵",
        "低洼处积水严重",
    ],
    "交通": [
        "信号灯故障",
        "交通标志牌倒伏",
        "公交站牌损坏",
        "机动车乱停乱放堵塞通道",
        "斑马线标线模糊",
        "道路隔离桩缺失",
    ],
    "生态环境": [
        "夜间施工噪音扰民",
        "餐馆油烟直排",
        "露天焚烧垃圾",
        "企业废气异味",
        "河道漂浮物发臭",
        "工地扬尘污染",
    ],
    "住建局": [
        "工地扬尘未覆盖",
        "楼道墙皮脱落",
        "老旧小区屋面漏水",
        "物业不作为电梯停运",
        "在建工地围挡倒塌",
        "危房存在倒塌隐患",
    ],
    "园林绿化": [
        "行道树倒伏",
        "树枝遮挡路灯",
        "绿化带毁绿种菜",
        "草坪缺水枯死",
        "树木病虫害",
    ],
}
# A district's case mix is far from even: 城管 and 市政 get most of the work.
WEIGHTS = {"城管局": 30, "市政": 22, "水务": 14, "交通": 10, "生态环境": 10, "住建局": 8, "园林绿化": 6}
NOISE = 0.08  # share of past cases dispatched to some other department


def corpus(n: int, *, seed: int = 1) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    depts = list(WEIGHTS)
    weights = [WEIGHTS[d] for d in depts]
    texts, labels = [], []
    for _ in range(n):
        dept = rng.choices(depts, weights)[0]
        problem = rng.choice(PROBLEMS[dept])
        if rng.random() < 0.5:
            where = f"{rng.choice(ROADS)}与{rng.choice(ROADS)}交叉口"
        elif rng.random() < 0.5:
            where = f"{rng.choice(ESTATES)}{rng.choice(PLACES)}"
        else:
            where = f"{rng.choice(ROADS)}{rng.randint(1, 300)}号{rng.choice(PLACES)}"
        texts.append(f"{where}{problem}{rng.choice(TAILS)}")
        labels.append(rng.choice(depts) if rng.random() < NOISE else dept)
    return texts, labels


@pytest.fixture(scope="module")
def history():
    return corpus(3000)


@pytest.fixture(scope="module")
def model(history):
    return train(*history)


def test_suggests_the_department_that_usually_handles_such_cases(model):
    assert model.suggest("解放路与人民路交叉口井盖缺失")[0][0] == "市政"
    assert model.suggest("阳光城小区门口占道经营")[0][0] == "城管局"
    assert model.suggest("清姜路雨水管道堵塞污水外溢，请尽快处理")[0][0] == "水务"
    assert model.suggest("渭滨路红绿灯信号灯故障")[0][0] == "交通"


def test_held_out_accuracy_is_far_above_always_guessing_the_commonest_department(history):
    result = evaluate(*history, holdout=0.25, seed=3)
    assert result["n_test"] == 750 and result["n_train"] == 2250
    assert result["majority_baseline"] < 0.4
    # Label noise (8 %) and overlapping departments cap what is achievable near 0.9.
    assert result["accuracy"] > 0.8
    assert result["top3_accuracy"] >= result["accuracy"]
    assert result["top3_accuracy"] > 0.9
    assert set(result["per_label"]) == set(WEIGHTS)
    assert result["per_label"]["市政"]["recall"] > 0.7
    assert sum(v["support"] for v in result["per_label"].values()) == 750


def test_confidence_is_calibrated_mean_top_probability_matches_accuracy(history):
    result = evaluate(*history, holdout=0.25, seed=5)
    # Uncalibrated naive Bayes would claim ~1.0 for nearly every case.
    assert abs(result["mean_confidence"] - result["accuracy"]) < 0.06, result


def test_probabilities_are_well_formed(model):
    ranked = model.suggest("锦绣苑门口积水", k=3)
    assert len(ranked) == 3
    probs = [p for _, p in ranked]
    assert all(0 <= p <= 1 for p in probs)
    assert probs == sorted(probs, reverse=True)
    assert sum(probs) <= 1 + 1e-9
    assert len({lab for lab, _ in ranked}) == 3
    everything = model.suggest("锦绣苑门口积水", k=100)
    assert len(everything) == len(WEIGHTS)
    assert sum(p for _, p in everything) == pytest.approx(1.0)
    # 积水 is shared by 市政 and 水务: both should be on the list with real weight.
    top2 = {lab for lab, _ in everything[:2]}
    assert top2 == {"市政", "水务"}
    assert everything[0][1] < 0.6


def test_a_clear_case_is_more_certain_than_an_ambiguous_one(model):
    clear = model.suggest("人民路与解放路交叉口井盖缺失")[0][1]
    vague = model.suggest("人民路与解放路交叉口")[0][1]
    assert clear > 0.7
    assert vague < clear


def test_unknown_words_empty_text_and_foreign_characters_do_not_crash(model):
    for text in ["", "   ", "量子纠缠反物质曲速引擎", "hello world 123", "😀😀", "ＡＢＣ１２３", "\x00\n\t"]:
        ranked = model.suggest(text)
        assert len(ranked) == 3
        assert sum(p for _, p in ranked) <= 1 + 1e-9
    # With no evidence at all, the suggestion is the district's usual case mix.
    assert model.suggest("量子纠缠反物质曲速引擎")[0][0] == "城管局"


def test_dumps_loads_round_trip_gives_identical_suggestions(model, history):
    data = model.dumps()
    assert isinstance(data, bytes)
    doc = json.loads(data)  # JSON, not pickle
    assert doc["format"] == classifier.FORMAT
    again = Model.loads(data)
    for text in history[0][:200] + ["未知的东西", ""]:
        assert again.suggest(text, k=5) == model.suggest(text, k=5)
    assert again.dumps() == data
    assert again.temperature == model.temperature and again.n_train == 3000


@pytest.mark.parametrize(
    "data",
    [b"", b"not json", b"[]", b'{"format": "other"}', json.dumps({"format": classifier.FORMAT}).encode()],
)
def test_loading_something_that_is_not_a_stored_model_is_a_clear_error(data):
    with pytest.raises(ValueError):
        Model.loads(data)


def test_training_is_deterministic(history):
    texts, labels = history
    assert train(texts[:500], labels[:500], seed=7).dumps() == train(texts[:500], labels[:500], seed=7).dumps()


def test_empty_history_is_a_clear_error():
    with pytest.raises(ValueError, match="empty dispatch history"):
        train([], [])
    with pytest.raises(ValueError, match="labels"):
        train(["井盖缺失"], [])
    with pytest.raises(ValueError, match="department"):
        train(["井盖缺失"], [""])


def test_tiny_histories_still_train():
    one = train(["人民路井盖缺失"], ["市政"])
    assert one.suggest("井盖缺失") == [("市政", 1.0)]
    two = train(["人民路井盖缺失", "小区门口占道经营"], ["市政", "城管局"])
    assert two.suggest("井盖缺失")[0][0] == "市政"


def test_features_combine_words_and_bigrams_and_ignore_numbers():
    feats = classifier.features("人民路128号井盖缺失！")
    assert "w:井盖" in feats
    assert "b:盖缺" in feats
    assert not any("128" in f for f in feats)
    assert classifier.features("ＡＢＣ") == classifier.features("abc")


def test_training_and_suggesting_are_fast_enough():
    texts, labels = corpus(5000, seed=2)
    start = time.perf_counter()
    model = train(texts, labels)
    elapsed = time.perf_counter() - start
    # The target is 50,000 cases in < 30 s (bench/grid_bench.py measures it: ~7 s); 10× fewer here.
    assert elapsed < 15, elapsed  # ~1.5 s on an idle core; generous for a loaded CI machine
    start = time.perf_counter()
    for text in texts[:200]:
        model.suggest(text)
    per_call_ms = (time.perf_counter() - start) / 200 * 1000
    assert per_call_ms < 5, per_call_ms
