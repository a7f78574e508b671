"""Remove page furniture and undo PDF/web line wrapping.

The output (``clean_text``) is what every span in the extraction result points into.
Paragraphs are separated by a single ``\\n``; there is no other whitespace between
Chinese characters, except the tab between the cells of a table line (``tasklist.find_tables``).
"""

from __future__ import annotations

import re
import statistics

from .tasklist import find_tables, split_cells

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCT = "\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2026\u2014\u00b7"
WIDE = f"[{CJK}{CJK_PUNCT}]"

# Whole lines that are page furniture.
_FURNITURE_LINE = [
    r"^[(（\[【]?\s*(资料图片|资料图|图片来源[^)）]*|新华社发|网络图片|配图)\s*[)）\]】]?$",
    r"^[(（【]?\s*(责任编辑|编辑|责编|校对|审核|审校|美编|值班编辑|通讯员|记者|来源|作者|撰稿|供稿)\s*[:：\s].{0,40}$",
    r"^.{0,30}(责任编辑|值班编辑)\s*[:：].{0,30}$",
    r"^.{0,40}(版权所有|Copyright|©|未经授权|禁止转载|转载请注明|版权归属|版权争议|本站不保证|收益归属|网站客服|付费下载|整理发布|可阅读全部内容|当前文档由用户上传).{0,80}$",
    r"^\s*[•·●]?\s*\d+(\.\d+)?\s*[KMG]B\s*$",
    r"^\s*[•·●]?\s*\d{4}-\d{1,2}-\d{1,2}\s*(发布|上传|更新)\s*$",
    r"^\s*[•·●]?\s*(共)?\d+\s*页\s*$",
    r"^\s*[-—–]*\s*\d{1,4}\s*[-—–]*\s*$",  # bare page numbers
    r"^\s*第\s*\d+\s*页\s*([,，/]?\s*共\s*\d+\s*页)?\s*$",
    r"^.{0,20}(日报|晚报|时报|周报|新闻网).{0,10}\d{4}年\d{1,2}月\d{1,2}日.{0,20}(第[一二三四五六七八九十\d]+版|星期.).{0,20}$",
    r"^\s*(上一篇|下一篇|相关阅读|相关新闻|扫一扫|分享到|打印本页|关闭窗口|【打印】|【关闭】).{0,60}$",
    # government-website furniture: breadcrumbs, metadata lines, page buttons, footers
    r"^\s*(首页|主页|网站首页|当前位置|您的位置|您现在的位置|所在位置)\s*[:：]?\s*[^。；;]{0,80}[>＞»›→].{0,80}$",
    r"^[^。！？]{0,60}?\s*[>＞»›]\s*[^。！？>＞»›]{1,30}\s*[>＞»›]\s*[^。！？]{1,40}$",
    r"^\s*(索引号|发布机构|发文机关|发文单位|文号|发文字号|主题分类|主题词|成文日期|发布日期|发布时间|生效日期|"
    r"有效性|统一编号|信息来源|浏览次数|访问次数|阅读次数|点击数|公开方式|公开范围|公开时限|所属机构|信息分类)\s*[:：][^。！？]{0,160}$",
    r"(字号|字体)\s*[:：]?\s*[【\[]?\s*大\s*中\s*小",
    r"^(\s*[【\[]\s*[^】\]]{0,6}(打印|关闭|收藏|分享|返回|顶部|纠错|下载|字号|保存|推荐)[^】\]]{0,6}\s*[】\]]\s*)+$",
    r"^.{0,80}(ICP备|ICP证|公网安备|网站标识码|网站识别码|政府网站找错|技术支持\s*[:：]|主办单位?\s*[:：].{0,60}(承办|协办|标识码|备案)).{0,120}$",
    r"^[(（]\s*此件(公开发布|主动公开|依申请公开|不予公开|删减后公开)\s*[)）]$",
]
_FURNITURE_LINE_RE = [re.compile(p, re.I) for p in _FURNITURE_LINE]

# Fragments inside a line.
_FURNITURE_INLINE = re.compile(
    r"[(（【\[]\s*(下转|上接|转|接)第?\s*[一二三四五六七八九十\d]+\s*版[^)）】\]]{0,6}[)）】\]]"
    r"|(下转|上接)第\s*[一二三四五六七八九十\d]+\s*版"
    r"|[(（]\s*资料图片\s*[)）]"
    r"|[(（]\s*(通讯员|记者)[^()（）]{0,30}[)）]"
)
_LIST_PREFIX = re.compile(r"^\s*(\d+\s*[.、]\s*)?")


def _width(s: str) -> float:
    return sum(1 if ord(c) > 0x2000 else 0.5 for c in s)


def _reflow_line(line: str) -> str:
    """A long line whose CJK text is broken by single spaces (copy of a wrapped PDF/web page).

    Each space-separated chunk is one visual line; a chunk clearly shorter than the
    usual line width ended a paragraph, so it becomes a newline.
    """
    # spaces next to ASCII (``今年 5 月 23 日``, ``X 个``) are latin/CJK spacing, not wraps
    line = re.sub(rf"(?<=[A-Za-z0-9%.]) +(?={WIDE})|(?<={WIDE}) +(?=[A-Za-z0-9%])", "", line)
    chunks = [c for c in line.split(" ") if c != ""]
    if len(chunks) < 8:
        return line
    widths = [round(_width(c)) for c in chunks]
    try:
        mode = statistics.mode(widths)
    except statistics.StatisticsError:  # pragma: no cover
        return line
    near = sum(1 for w in widths if abs(w - mode) <= 2)
    if mode < 10 or near < 0.3 * len(widths):
        return " ".join(chunks)
    out = []
    for c, w in zip(chunks, widths, strict=False):
        out.append(c)
        ends_sentence = c.endswith(("。", "!", "！", "?", "？", "”", ":", "：", "……"))
        if w < mode - 4 or (w < mode - 1 and ends_sentence):
            out.append("\n")
        else:
            out.append("")
    return "".join(out)


def clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = re.sub(r"[\u200b-\u200d\u2060]", "", text)
    raw_lines = text.split("\n")
    # table lines (a header naming its columns and the rows under it) keep their cells apart, joined by a
    # tab: the only whitespace left between Chinese characters in the clean text (see tasklist.find_tables)
    table_lines = {i for t in find_tables(raw_lines) for i in t.lines}
    lines = []
    for i, raw in enumerate(raw_lines):
        if i in table_lines:
            row = "\t".join(_tidy(c.replace("\u3000", " ").replace("\u00a0", " ")) for c in split_cells(raw))
            if row.strip():
                lines.append(row)
            continue
        raw = raw.replace("\u00a0", " ").replace("\u3000", " ").replace("\t", " ")
        line = raw.strip()
        if not line:
            continue
        probe = _LIST_PREFIX.sub("", line, count=1).strip("•·● ")
        if any(r.search(probe) or r.search(line) for r in _FURNITURE_LINE_RE):
            continue
        line = _FURNITURE_INLINE.sub("", line)
        if len(line) > 200 and len(re.findall(rf"{WIDE} {WIDE}", line)) > 10:
            line = _reflow_line(line)
        for part in line.split("\n"):
            part = _tidy(part)
            if part:
                lines.append(part)
    # drop immediate duplicate lines (titles repeated by web pages)
    out = []
    for ln in lines:
        if out and out[-1] == ln and "\t" not in ln:
            continue
        out.append(ln)
    return "\n".join(out)


def _tidy(s: str) -> str:
    s = s.strip()
    s = re.sub(rf"(?<={WIDE})\s+(?={WIDE})", "", s)
    s = re.sub(rf"(?<={WIDE})\s+(?=[A-Za-z0-9%])|(?<=[A-Za-z0-9%.])\s+(?={WIDE})", "", s)
    s = re.sub(r"\s{2,}", " ", s)
    # doc-site lines glued in front of the title, e.g. "4. 网站客服QQ:…" already removed;
    return s.strip()
