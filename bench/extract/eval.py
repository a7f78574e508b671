"""Evaluate taizhang.speech.extract against hand-made gold annotations.

Run from the repo root:  .venv/bin/python bench/extract/eval.py  [--json] [--misses DOC]
``--misses DOC`` (a gold file stem such as ``002_report``, or a unique prefix) prints only that document's
missed and false directives, wrong owners and wrong deadlines, then its missed and false projects.
Prints, per document and per split (tuned / held-out), precision/recall for directives,
false-directive rate on clearly descriptive sentences, owner and deadline accuracy, project
recall/precision, figure recall, value+unit precision — next to a naive floor — and timings.
"""

from __future__ import annotations

import json
import re
import sys
import time
import unicodedata
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
GOLD_DIR = Path(__file__).resolve().parent / "gold"
# Documents written blind (by someone who never saw the extractor) with their gold: see blind/README.md.
BLIND_DIR = Path(__file__).resolve().parent / "blind"
CORPUS_DIRS = [ROOT.parent / "shared" / "corpus", Path("/work/shared/corpus"), ROOT / "shared" / "corpus"]


# ---------- normalisation: NFKC, no whitespace, with a map back to the original offsets ----------
def norm_map(s: str):
    out, idx = [], []
    for i, c in enumerate(s):
        if c.isspace():
            continue
        n = unicodedata.normalize("NFKC", c)
        for ch in n:
            if not ch.isspace():
                out.append(ch)
                idx.append(i)
    return "".join(out), idx


def norm(s: str) -> str:
    return norm_map(s)[0]


def to_norm_span(idx, a, b):
    """Original [a,b) → normalised [na,nb)."""
    import bisect

    na = bisect.bisect_left(idx, a)
    nb = bisect.bisect_left(idx, b)
    return na, nb


def locate(nt: str, needle: str, used=None, after=0):
    n = norm(needle)
    if not n:
        return None
    pos = nt.find(n, after)
    while pos != -1 and used is not None and (pos, pos + len(n)) in used:
        pos = nt.find(n, pos + 1)
    if pos == -1:
        return None
    return pos, pos + len(n)


def overlap(a, b):
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_spans(gold, pred, thr=0.5):
    """Greedy one-to-one matching by overlap / shorter length ≥ thr. Returns dict gi → pi."""
    cands = []
    for gi, g in enumerate(gold):
        if g is None:
            continue
        for pi, p in enumerate(pred):
            ov = overlap(g, p)
            if ov and ov / max(1, min(g[1] - g[0], p[1] - p[0])) >= thr:
                cands.append((ov, gi, pi))
    cands.sort(reverse=True)
    gm, pm = {}, set()
    for _ov, gi, pi in cands:
        if gi in gm or pi in pm:
            continue
        gm[gi] = pi
        pm.add(pi)
    return gm


def ref_sentences(nt: str):
    out, pos = [], 0
    for m in re.finditer(r"[。!?！？]|\n", nt):
        if m.end() - pos > 1:
            out.append((pos, m.end()))
        pos = m.end()
    if pos < len(nt):
        out.append((pos, len(nt)))
    return out


UNIT_SUFFIX = re.compile(r"(主要负责同志|负责同志|负责人|党工委书记|书记)$")


def norm_owner(o: str) -> str:
    o = unicodedata.normalize("NFKC", o).strip()
    o = UNIT_SUFFIX.sub("", o)
    o = re.sub(r"^(区|县)(?=.{2,})", "", o) if not o.startswith(("区委", "区政")) else o
    return o.replace("、", "")


def norm_project(p: str) -> str:
    p = norm(p)
    p = re.sub(r"\(.*?\)", "", p)
    return re.sub(r"(项目|工程|建设)$", "", p)


def project_pairs(gold, pred) -> dict[int, int]:
    """Greedy one-to-one project matching: gold index → predicted index."""
    used, pairs = set(), {}
    for gi, g in enumerate(gold):
        ng = norm_project(g)
        for i, p in enumerate(pred):
            if i in used:
                continue
            np_ = norm_project(p)
            if ng == np_ or (len(np_) >= 3 and np_ in ng) or (len(ng) >= 3 and ng in np_):
                used.add(i)
                pairs[gi] = i
                break
    return pairs


def project_match(gold, pred):
    return len(project_pairs(gold, pred))


def bigram_dice(a: str, b: str) -> float:
    A = {a[i : i + 2] for i in range(len(a) - 1)}
    B = {b[i : i + 2] for i in range(len(b) - 1)}
    if not A or not B:
        return 1.0 if a == b else 0.0
    return 2 * len(A & B) / (len(A) + len(B))


def same_value(g, p) -> bool:
    gv, pv = g.get("value"), p.get("value")
    if gv is None or pv is None:
        return gv is None and pv is None
    return abs(float(gv) - float(pv)) <= 1e-6 * max(1.0, abs(float(gv)))


# ---------------------------------- naive floor ----------------------------------
NAIVE_FIG = re.compile(
    r"(\d+(?:\.\d+)?|X{1,3})(万亿|亿|万)?(元|人次|人|户|个|项|家|条|件|处|所|套|次|期|轮|场次|亩|吨|平方米|天|%)"
)
NAIVE_TIME = re.compile(r"\d{1,2}月\d{0,2}日?(?:底|初)?|年底|年内|下半年|上半年|月底")
NAIVE_OWNER = re.compile(r"[\u4e00-\u9fff]{1,8}?(局|委|办|室|街道|乡镇|部门|单位|专班)")


def naive_extract(clean_text: str, doc_date: date):
    """Every sentence containing 要 is a directive; deadline = first date-like string taken as a
    point in the document's year; owner = first unit-like word; figures = number+unit regex."""
    dirs = []
    pos = 0
    for m in re.finditer(r"[。!?！？]|\n", clean_text + "\n"):
        s = clean_text[pos : m.end()]
        a = pos
        pos = m.end()
        if "要" not in s:
            continue
        tm = NAIVE_TIME.search(s)
        deadline = None
        if tm:
            t = tm.group(0)
            mm = re.match(r"(\d{1,2})月(\d{1,2})?", t)
            if mm:
                mon = int(mm.group(1))
                day = int(mm.group(2) or 28) if 1 <= mon <= 12 else 28
                try:
                    d = date(doc_date.year, mon, min(day, 28)).isoformat()
                    deadline = {"start": d, "end": d, "text": t}
                except ValueError:
                    pass
            else:
                d = date(doc_date.year, 12, 31).isoformat()
                deadline = {"start": d, "end": d, "text": t}
        om = NAIVE_OWNER.search(s)
        dirs.append(
            {
                "text": s,
                "span": [a, a + len(s)],
                "owners": [om.group(0)] if om else [],
                "deadline": deadline,
                "projects": [],
            }
        )
    figs = []
    mult = {"万亿": 10**12, "亿": 10**8, "万": 10**4, None: 1}
    for m in NAIVE_FIG.finditer(clean_text):
        v = None if m.group(1).startswith("X") else float(m.group(1)) * mult[m.group(2)]
        figs.append({"text": m.group(0), "value": v, "unit": m.group(3), "span": [m.start(), m.end()]})
    projs = re.findall(r"([\u4e00-\u9fff]{2,12}?项目)", clean_text)
    return {"directives": dirs, "figures": figs, "projects": projs}


# ---------------------------------- scoring ----------------------------------
def score(gold: dict, result: dict, clean_text: str):
    nt, idx = norm_map(clean_text)
    r = {}
    # directives
    gd_spans = []
    used = set()
    for d in gold["directives"]:
        sp = locate(nt, d["text"], used)
        if sp:
            used.add(sp)
        gd_spans.append(sp)
    amb_spans = [locate(nt, a) for a in gold.get("ambiguous", [])]
    amb_spans = [a for a in amb_spans if a]
    pd = result["directives"]
    pd_spans = [to_norm_span(idx, *d["span"]) for d in pd]
    gm = match_spans(gd_spans, pd_spans)
    n_gold = len(gold["directives"])
    tp = len(gm)
    # predictions that overlap no gold directive / ambiguous span = false
    false_preds = []
    for pi, ps in enumerate(pd_spans):
        if pi in gm.values():
            continue
        if any(g and overlap(g, ps) > 3 for g in gd_spans) or any(overlap(a, ps) > 3 for a in amb_spans):
            continue
        false_preds.append(ps)
    # descriptive reference sentences
    descr = [
        s
        for s in ref_sentences(nt)
        if not any(g and overlap(g, s) > 3 for g in gd_spans)
        and not any(overlap(a, s) > 3 for a in amb_spans)
        and len(norm(nt[s[0] : s[1]])) > 4
    ]
    flagged = sum(1 for s in descr if any(overlap(s, p) >= 0.5 * (s[1] - s[0]) for p in false_preds))
    scored_preds = sum(
        1
        for pi, ps in enumerate(pd_spans)
        if pi in gm.values()
        or not (any(g and overlap(g, ps) > 3 for g in gd_spans) or any(overlap(a, ps) > 3 for a in amb_spans))
    )
    r["dir_gold"] = n_gold
    r["dir_recall"] = tp / n_gold if n_gold else None
    r["dir_precision"] = tp / scored_preds if scored_preds else None
    r["descriptive_sentences"] = len(descr)
    r["false_dir_rate"] = flagged / len(descr) if descr else None
    r["gold_missing_in_text"] = sum(1 for s in gd_spans if s is None)
    # owners / deadlines over matched directives
    own_ok = own_n = own_ok_all = 0
    dl_ok = dl_n = dl_ok_all = 0
    for gi, pi in gm.items():
        g, p = gold["directives"][gi], pd[pi]
        go = {norm_owner(o) for o in g["owners"]}
        po = {norm_owner(o) for o in p.get("owners", [])}
        if go or po:
            own_n += 1
            own_ok += go == po
        own_ok_all += go == po
        gdl, pdl = g.get("deadline"), p.get("deadline")
        ok = (gdl is None and pdl is None) or (gdl and pdl and gdl["end"] == pdl["end"])
        if gdl or pdl:
            dl_n += 1
            dl_ok += bool(ok)
        dl_ok_all += bool(ok)
    r["owner_acc"] = own_ok / own_n if own_n else None
    r["owner_n"] = own_n
    r["owner_acc_all"] = own_ok_all / len(gm) if gm else None
    r["deadline_acc"] = dl_ok / dl_n if dl_n else None
    r["deadline_n"] = dl_n
    r["deadline_acc_all"] = dl_ok_all / len(gm) if gm else None
    # projects
    gp = gold.get("projects", [])
    pp = result.get("projects", [])
    hit = project_match(gp, pp)
    r["proj_gold"] = len(gp)
    r["proj_recall"] = hit / len(gp) if gp else None
    r["proj_pred"] = len(pp)
    r["proj_precision"] = project_match(pp, gp) / len(pp) if pp else None
    # figures
    gf = gold.get("figures", [])
    gf_spans = []
    for f in gf:
        an = locate(nt, f["anchor"])
        sp = None
        if an:
            inner = nt[an[0] : an[1]].find(norm(f["text"]))
            if inner >= 0:
                sp = (an[0] + inner, an[0] + inner + len(norm(f["text"])))
        gf_spans.append(sp)
    pf = result["figures"]
    pf_spans = [to_norm_span(idx, *f["span"]) for f in pf]
    fm = match_spans(gf_spans, pf_spans, thr=0.5)
    vu_ok = sum(1 for gi, pi in fm.items() if same_value(gf[gi], pf[pi]) and gf[gi]["unit"] == pf[pi]["unit"])
    chg_ok = sum(1 for gi, pi in fm.items() if (gf[gi].get("change_pct") == pf[pi].get("change_pct")))
    apx_ok = sum(1 for gi, pi in fm.items() if bool(gf[gi].get("approx")) == bool(pf[pi].get("approx", False)))
    name_ok = sum(
        1 for gi, pi in fm.items() if bigram_dice(norm(gf[gi]["name"]), norm(pf[pi].get("name") or "")) >= 0.4
    )
    r["fig_gold"] = len(gf)
    r["fig_pred"] = len(pf)
    r["fig_recall"] = len(fm) / len(gf) if gf else None
    r["fig_precision"] = len(fm) / len(pf) if pf else None
    r["fig_vu_precision"] = vu_ok / len(pf) if pf else None
    r["fig_vu_acc_matched"] = vu_ok / len(fm) if fm else None
    r["fig_change_acc"] = chg_ok / len(fm) if fm else None
    r["fig_approx_acc"] = apx_ok / len(fm) if fm else None
    r["fig_name_agree"] = name_ok / len(fm) if fm else None
    r["gold_fig_missing_in_text"] = sum(1 for s in gf_spans if s is None)
    return r


def misses(gold: dict, result: dict, clean_text: str) -> list[str]:
    """Human-readable list of one document's directive, owner, deadline and project errors."""
    nt, idx = norm_map(clean_text)
    used, gd_spans = set(), []
    for d in gold["directives"]:
        sp = locate(nt, d["text"], used)
        if sp:
            used.add(sp)
        gd_spans.append(sp)
    amb_spans = [a for a in (locate(nt, a) for a in gold.get("ambiguous", [])) if a]
    pd = result["directives"]
    pd_spans = [to_norm_span(idx, *d["span"]) for d in pd]
    gm = match_spans(gd_spans, pd_spans)
    out = []
    for gi, g in enumerate(gold["directives"]):
        if gi not in gm:
            out.append(f"MISSED   {g['text']}")
    for pi, ps in enumerate(pd_spans):
        if pi in gm.values():
            continue
        if any(g and overlap(g, ps) > 3 for g in gd_spans) or any(overlap(a, ps) > 3 for a in amb_spans):
            continue
        out.append(f"FALSE    {pd[pi]['text']}  [{pd[pi].get('how')}]")
    for gi, pi in sorted(gm.items()):
        g, p = gold["directives"][gi], pd[pi]
        go = {norm_owner(o) for o in g["owners"]}
        po = {norm_owner(o) for o in p.get("owners", [])}
        if go != po:
            out.append(f"OWNER    gold {sorted(go)} ≠ ours {sorted(po)}  | {g['text']}")
        gdl, pdl = g.get("deadline"), p.get("deadline")
        if not ((gdl is None and pdl is None) or (gdl and pdl and gdl["end"] == pdl["end"])):
            gs = f"{gdl['text']}→{gdl['end']}" if gdl else "null"
            ps_ = f"{pdl['text']}→{pdl['end']}" if pdl else "null"
            out.append(f"DEADLINE gold {gs} ≠ ours {ps_}  | {g['text']}")
    gp, pp = gold.get("projects", []), result.get("projects", [])
    found = project_pairs(gp, pp)
    out += [f"PROJECT MISSED  {g}" for gi, g in enumerate(gp) if gi not in found]
    right = project_pairs(pp, gp)
    out += [f"PROJECT FALSE   {p}" for pi, p in enumerate(pp) if pi not in right]
    return out


def combine(rows):
    """Micro-average the per-document numbers over a split."""

    def tot(num_key, den_key):
        num = sum((r[num_key] or 0) * r[den_key] for r in rows if r[num_key] is not None)
        den = sum(r[den_key] for r in rows if r[num_key] is not None)
        return num / den if den else None

    out = {
        "dir_recall": tot("dir_recall", "dir_gold"),
        "false_dir_rate": tot("false_dir_rate", "descriptive_sentences"),
        "owner_acc": tot("owner_acc", "owner_n"),
        "deadline_acc": tot("deadline_acc", "deadline_n"),
        "proj_recall": tot("proj_recall", "proj_gold"),
        "proj_precision": tot("proj_precision", "proj_pred"),
        "fig_recall": tot("fig_recall", "fig_gold"),
        "fig_vu_precision": tot("fig_vu_precision", "fig_pred"),
    }
    for k in (
        "dir_gold",
        "descriptive_sentences",
        "owner_n",
        "deadline_n",
        "proj_gold",
        "proj_pred",
        "fig_gold",
        "fig_pred",
    ):
        out[k] = sum(r[k] for r in rows)
    return out


def fmt(v):
    return "  n/a" if v is None else f"{v:5.2f}"


MEASURES = [
    ("dir_recall", "directive recall", "≥0.90"),
    ("false_dir_rate", "false directives (descr.)", "≤0.10"),
    ("owner_acc", "owner accuracy", "≥0.85"),
    ("deadline_acc", "deadline accuracy", "≥0.85"),
    ("proj_recall", "project recall", "≥0.85"),
    ("proj_precision", "project precision", "  —"),
    ("fig_recall", "figure recall", "≥0.90"),
    ("fig_vu_precision", "figure value+unit precision", "≥0.95"),
]


def find_corpus(name: str) -> Path:
    for d in [*CORPUS_DIRS, BLIND_DIR]:
        if (d / name).exists():
            return d / name
    raise FileNotFoundError(name)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    t0 = time.perf_counter()
    from taizhang.speech.extract import extract_file
    from taizhang.speech.extract.api import extract_text
    from taizhang.speech.extract.clean import clean

    import_s = time.perf_counter() - t0

    golds = sorted(GOLD_DIR.glob("*.json")) + sorted((BLIND_DIR / "gold").glob("*.json"))
    if "--misses" in argv:
        i = argv.index("--misses")
        want = argv[i + 1] if i + 1 < len(argv) else ""
        hits = [g for g in golds if g.stem == want] or [g for g in golds if g.stem.startswith(want)]
        if len(hits) != 1 or not want:
            print(f"--misses needs one of: {', '.join(g.stem for g in golds)}", file=sys.stderr)
            return 2
        gold = json.loads(hits[0].read_text(encoding="utf-8"))
        res = extract_file(find_corpus(gold["document"]), date.fromisoformat(gold["doc_date"]))
        lines = misses(gold, res, res["clean_text"])
        print("\n".join(lines) if lines else "no misses")
        return 0
    rows, naive_rows, timings = {}, {}, {}
    split_of = {}
    for gp in golds:
        gold = json.loads(gp.read_text(encoding="utf-8"))
        path = find_corpus(gold["document"])
        dd = date.fromisoformat(gold["doc_date"])
        t = time.perf_counter()
        res = extract_file(path, dd)
        timings[gp.stem] = time.perf_counter() - t
        rows[gp.stem] = score(gold, res, res["clean_text"])
        naive = naive_extract(res["clean_text"], dd)
        naive_rows[gp.stem] = score(gold, naive, res["clean_text"])
        split = gold.get("split", "tuned")
        # A blind document is held out until it has been scored once; then it may be tuned on.
        split_of[gp.stem] = "blind" if split == "held_out" and gp.parent.parent == BLIND_DIR else split

    # a 30,000+ character speech: the longest document, repeated if needed
    longest = max(
        golds, key=lambda g: find_corpus(json.loads(g.read_text(encoding="utf-8"))["document"]).stat().st_size
    )
    lg = json.loads(longest.read_text(encoding="utf-8"))
    raw = find_corpus(lg["document"]).read_text(encoding="utf-8")
    big = raw
    while len(clean(big)) < 30000:
        big += "\n" + raw
    t = time.perf_counter()
    extract_text(big, date.fromisoformat(lg["doc_date"]))
    warm_30k = time.perf_counter() - t

    report = {
        "documents": {
            k: {"split": split_of[k], "ours": rows[k], "naive": naive_rows[k], "seconds": round(timings[k], 3)}
            for k in rows
        },
        "splits": {},
    }
    for split in ("tuned", "held_out", "blind"):
        ks = [k for k in rows if split_of[k] == split]
        if ks:
            report["splits"][split] = {
                "docs": ks,
                "ours": combine([rows[k] for k in ks]),
                "naive": combine([naive_rows[k] for k in ks]),
            }
    report["timing"] = {
        "import_s": round(import_s, 3),
        "first_doc_cold_s": round(timings[golds[0].stem], 3),
        "warm_30k_chars_s": round(warm_30k, 3),
        "chars": len(big),
    }

    if "--json" in argv:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0

    print("Speech-to-ledger extraction — evaluation against bench/extract/gold")
    print()
    for split, sp in report["splits"].items():
        print(f"== {split}: {', '.join(sp['docs'])}")
        print(f"   {'measure':30s} {'ours':>6s} {'floor':>6s}  target   (n)")
        for key, label, target in MEASURES:
            n = {
                "dir_recall": "dir_gold",
                "false_dir_rate": "descriptive_sentences",
                "owner_acc": "owner_n",
                "deadline_acc": "deadline_n",
                "proj_recall": "proj_gold",
                "proj_precision": "proj_pred",
                "fig_recall": "fig_gold",
                "fig_vu_precision": "fig_pred",
            }[key]
            print(
                f"   {label:30s} {fmt(sp['ours'][key]):>6s} {fmt(sp['naive'][key]):>6s}  {target:6s}  "
                f"({sp['ours'][n]} / floor {sp['naive'][n]})"
            )
        print()
    print("== per document (ours | floor)")
    keys = [
        "dir_recall",
        "dir_precision",
        "false_dir_rate",
        "owner_acc",
        "owner_acc_all",
        "deadline_acc",
        "deadline_acc_all",
        "proj_recall",
        "proj_precision",
        "fig_recall",
        "fig_precision",
        "fig_vu_precision",
        "fig_change_acc",
        "fig_approx_acc",
        "fig_name_agree",
    ]
    for k in rows:
        print(
            f"-- {k} [{split_of[k]}]  {timings[k]:.2f}s  gold: {rows[k]['dir_gold']} directives, "
            f"{rows[k]['fig_gold']} figures, {rows[k]['proj_gold']} projects"
        )
        for key in keys:
            print(f"   {key:20s} {fmt(rows[k][key])} | {fmt(naive_rows[k].get(key))}")
        if rows[k]["gold_missing_in_text"] or rows[k]["gold_fig_missing_in_text"]:
            print(
                f"   (gold spans not found in cleaned text: {rows[k]['gold_missing_in_text']} directives, "
                f"{rows[k]['gold_fig_missing_in_text']} figures)"
            )
    print()
    tm = report["timing"]
    print(
        f"timing: library import {tm['import_s']:.2f}s; first document incl. lazy NLP load "
        f"{tm['first_doc_cold_s']:.2f}s; {tm['chars']} chars warm {tm['warm_30k_chars_s']:.2f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
