"""The results bulletin (考核结果通报) of one period as a .docx in the official layout.

Reuses the 公文 helpers of ``supervision.documents`` (red header and rule, 黑体
headings, 仿宋 body, cloned-row tables): the body text is Chinese whatever the
reader's interface language, like every official document of the district.
"""

from __future__ import annotations

from django.utils import timezone, translation
from docx.enum.text import WD_ALIGN_PARAGRAPH

from taizhang.supervision.documents import (
    HEADING_FONT,
    _docx_bytes,
    _new_document,
    _num,
    _para,
    _red_header,
    _table,
    cn_date,
)

from .models import ScoreRun
from .selectors import previous_run, ranking_groups

CN_NUM = "一二三四五六七八九十"


def _movement_text(movement: int | None) -> str:
    if movement is None:
        return "—"
    if movement > 0:
        return f"前移{movement}位"
    if movement < 0:
        return f"后移{-movement}位"
    return "持平"


def _period_text(run: ScoreRun) -> str:
    p = run.period
    if p.kind == p.Kind.YEAR:
        return f"{p.start.year}年度"
    return f"{p.start.year}年第{CN_NUM[p.number - 1]}季度"


def results_bulletin_docx(run: ScoreRun, issuer: str) -> bytes:
    """Rankings of every group with total, rank and movement since the previous quarter."""
    with translation.override("zh-hans"):
        doc = _new_document()
        day = timezone.localdate(run.published_at) if run.published_at else run.as_of
        period = _period_text(run)
        _red_header(doc, "考核结果通报", f"{run.scheme.year}年第{run.period.number or 5}期", issuer, day)
        _para(doc, f"关于{period}{run.scheme.name}结果的通报", size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _para(doc, "各镇街、区直各部门：")
        groups = ranking_groups(run, previous_run(run))
        units = sum(len(g["rows"]) for g in groups)
        _para(
            doc,
            f"根据《{run.scheme.name}》，区委办督查室依据平台台账数据（截至{cn_date(run.as_of)}）、"
            f"考核组评分及加减分审核结果，对{units}个单位{period}工作实绩进行了积分考核。现将结果通报如下：",
            indent=True,
        )
        for i, group in enumerate(groups):
            _para(doc, f"{CN_NUM[i]}、{group['group']}", font=HEADING_FONT)
            rows = [[r["rank"], r["unit"], _num(r["total"]), _movement_text(r["movement"])] for r in group["rows"]]
            _table(doc, ["位次", "单位", "得分", "位次变化"], rows, [2.0, 6.6, 3.2, 3.8])
            if group["rows"]:
                top = "、".join(r["unit"] for r in group["rows"] if r["rank"] == 1)
                _para(doc, f"{top}位列{group['group']}第一，予以通报表扬。", indent=True)
        _para(doc, f"{CN_NUM[len(groups)]}、有关要求", font=HEADING_FONT)
        _para(
            doc,
            "各单位要对照得分情况认真查找差距，比学赶超、争先进位。对考核结果有异议的，"
            f"请于通报印发之日起{run.scheme.objection_workdays}个工作日内通过平台提出申诉。",
            indent=True,
        )
        _para(doc, "")
        _para(doc, issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
        _para(doc, cn_date(day), align=WD_ALIGN_PARAGRAPH.RIGHT)
        return _docx_bytes(doc)
