"""Lazy, quiet access to jieba and jionlp (both print banners; stdout must carry only JSON)."""

from __future__ import annotations

import contextlib
import io
import logging
import sys
import threading
from datetime import date
from functools import lru_cache

_lock = threading.Lock()


@contextlib.contextmanager
def _quiet():
    buf_out, buf_err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(buf_out), contextlib.redirect_stderr(buf_err):
        yield


@lru_cache(maxsize=1)
def jieba_posseg():
    with _lock, _quiet():
        import jieba
        import jieba.posseg as pseg

        jieba.setLogLevel(logging.ERROR)
        jieba.initialize()
    return pseg


@lru_cache(maxsize=1)
def jionlp():
    with _lock, _quiet():
        try:
            import jionlp as jio
        except Exception:  # pragma: no cover - optional at runtime
            return None
    return jio


def parse_time(expr: str, doc_date: date):
    jio = jionlp()
    if jio is None:
        return None
    try:
        with _quiet():
            res = jio.parse_time(expr, time_base={"year": doc_date.year, "month": doc_date.month, "day": doc_date.day})
    except Exception:
        return None
    t = res.get("time") if isinstance(res, dict) else None
    if isinstance(t, list) and len(t) == 2 and all(isinstance(x, str) for x in t):
        return t
    return None


def pos_tags(text: str):
    pseg = jieba_posseg()
    with _quiet():
        return [(w.word, w.flag) for w in pseg.lcut(text)]


def tokenize(text: str):
    """jieba words with offsets: ``[(word, start, end)]``."""
    jieba_posseg()
    import jieba

    with _quiet():
        return list(jieba.tokenize(text))


def warm():
    """Load everything (used by benchmarks to separate cold from warm timings)."""
    jieba_posseg()
    jionlp()
    return sys.modules.get("jieba") is not None
