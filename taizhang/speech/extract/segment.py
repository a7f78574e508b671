"""Split cleaned text into sections (headings) and sentences, with character spans."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CN_NUM = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# (level, regex) – matched at the start of a paragraph or sentence. Lower level = bigger section.
HEADING_PATTERNS = [
    (1, re.compile(rf"^第[{CN_NUM}]+(句话|部分|个方面|方面)[,，、:：]?")),
    (1, re.compile(rf"^[{CN_NUM}]+[、.．]")),
    (2, re.compile(rf"^[(（][{CN_NUM}]+[)）]")),
    (3, re.compile(r"^\d{1,2}[、.．](?!\d)")),
    (3, re.compile(r"^[(（]\d{1,2}[)）]")),
    (4, re.compile(rf"^(其[{CN_NUM}]|[{CN_NUM}]是|[{CN_NUM}]要|首先|其次|再次|最后)[,，:：]?")),
    (4, re.compile(rf"^第[{CN_NUM}]+[,，、:：]")),
    (5, re.compile(rf"^[{CIRCLED}]")),
]

SENT_END = re.compile(r"(……|\.{6}|[。！？!?])[”’」』)）]*")


@dataclass
class Section:
    level: int
    marker: str
    title: str
    start: int
    end: int = -1
    parent: int | None = None
    index: int = 0

    def as_dict(self):
        return {
            "level": self.level,
            "marker": self.marker,
            "title": self.title,
            "span": [self.start, self.end],
            "parent": self.parent,
        }


@dataclass
class Sentence:
    text: str
    start: int
    end: int
    para: int
    is_heading: bool = False
    heading_level: int | None = None
    section: int | None = None  # index into sections (innermost)
    path: list = field(default_factory=list)  # indices of enclosing sections, outermost first


def heading_match(s: str):
    for level, rx in HEADING_PATTERNS:
        m = rx.match(s)
        if m:
            return level, m.group(0)
    return None


def split_sentences(para: str, offset: int):
    out = []
    pos = 0
    for m in SENT_END.finditer(para):
        end = m.end()
        # don't split inside an open quote “… when the quote closes soon after
        seg = para[pos:end]
        if seg.count("“") > seg.count("”") and para.find("”", end) != -1 and para.find("”", end) - end < 60:
            continue
        if seg.strip():
            out.append((seg, offset + pos, offset + end))
        pos = end
    if pos < len(para) and para[pos:].strip():
        out.append((para[pos:], offset + pos, offset + len(para)))
    return out


def segment(text: str):
    """Return (sections, sentences). Spans index into ``text``."""
    sections: list[Section] = []
    sentences: list[Sentence] = []
    stack: list[int] = []
    offset = 0
    for pi, para in enumerate(text.split("\n")):
        if "\t" in para:  # a table line (clean keeps its cells tab-separated): one sentence, never a heading
            raw_sents = [(para, offset, offset + len(para))] if para.strip() else []
        else:
            raw_sents = split_sentences(para, offset)
        # a paragraph without terminal punctuation that is short is a heading/title line
        for si, (s, a, b) in enumerate(raw_sents):
            hm = heading_match(s) if "\t" not in s else None
            is_heading = False
            level = None
            if hm:
                level, marker = hm
                short = len(s) <= 60 or (si == 0 and len(raw_sents) > 1 and len(s) <= 90)
                # "一是…。" / "一要…。" / "1.…。" lead sentences are headings when short
                if short:
                    is_heading = True
            elif si == 0 and len(raw_sents) == 1 and not SENT_END.search(s) and len(s) <= 40 and pi > 0:
                # untitled short line (e.g. a sub-title) – a level-0 title, not a section
                level, marker = 0, ""
            if is_heading:
                while stack and sections[stack[-1]].level >= level:
                    sections[stack.pop()].end = a
                sec = Section(
                    level=level,
                    marker=marker,
                    title=s.strip(),
                    start=a,
                    parent=stack[-1] if stack else None,
                    index=len(sections),
                )
                sections.append(sec)
                stack.append(sec.index)
            sentences.append(
                Sentence(
                    text=s,
                    start=a,
                    end=b,
                    para=pi,
                    is_heading=is_heading,
                    heading_level=level if is_heading else None,
                    section=stack[-1] if stack else None,
                    path=list(stack),
                )
            )
        offset += len(para) + 1
    for i in stack:
        sections[i].end = len(text)
    for s in sections:
        if s.end < 0:
            s.end = len(text)
    return sections, sentences
