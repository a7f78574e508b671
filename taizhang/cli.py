"""Command line entry point: ``taizhang <command> …``.

Must not import Django: ``taizhang extract`` runs without a database or settings.
Add new commands by writing ``_add_<name>(subparsers)`` and registering it in ``build_parser``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from datetime import date

EXIT_ERROR = 2


class _ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own messages are English; keep ours Chinese
        self.print_usage(sys.stderr)
        sys.stderr.write(f"错误:命令行参数有误({message})\n")
        sys.exit(EXIT_ERROR)


def _cmd_extract(args) -> int:
    from taizhang.speech.extract import ExtractionError, extract_file

    try:
        doc_date = date.fromisoformat(args.date)
    except ValueError:
        sys.stderr.write(f"错误:日期格式不正确:{args.date},应为 YYYY-MM-DD,例如 2024-03-01。\n")
        return EXIT_ERROR
    units = None
    if args.units:
        try:
            with open(args.units, encoding="utf-8-sig") as fh:
                units = [ln.strip() for ln in fh if ln.strip()]
        except OSError:
            sys.stderr.write(f"错误:无法读取单位名单文件:{args.units}\n")
            return EXIT_ERROR
    try:
        # anything a library prints (NLP banners) goes to stderr: stdout carries only JSON
        with contextlib.redirect_stdout(sys.stderr):
            result = extract_file(
                args.file,
                doc_date,
                units=units,
                max_bytes=int(args.max_mb * 1024 * 1024),
                include_clean_text=not args.no_text,
            )
    except ExtractionError as exc:
        sys.stderr.write(f"错误:{exc.message}\n")
        return EXIT_ERROR
    except Exception as exc:  # never a traceback on stdout
        sys.stderr.write(f"错误:处理文档时发生意外错误({type(exc).__name__})。\n")
        return EXIT_ERROR
    json.dump(result, sys.stdout, ensure_ascii=False, indent=None if args.compact else 2)
    sys.stdout.write("\n")
    return 0


def _add_extract(sub) -> None:
    p = sub.add_parser("extract", help="从讲话稿/工作报告中提取任务、项目和数据(输出 JSON)")
    p.add_argument("file", metavar="FILE", help=".txt / .docx / .pdf 文件")
    p.add_argument("--date", required=True, help="文档日期 YYYY-MM-DD,用于解析“3月底”“年底”等时间")
    p.add_argument("--units", help="已知单位名单文件(每行一个),用于匹配责任单位")
    p.add_argument("--max-mb", type=float, default=20.0, help="文件大小上限(MB),默认 20")
    p.add_argument("--compact", action="store_true", help="单行 JSON")
    p.add_argument("--no-text", action="store_true", help="不输出清理后的全文 clean_text")
    p.set_defaults(func=_cmd_extract)


def build_parser() -> argparse.ArgumentParser:
    parser = _ChineseArgumentParser(prog="taizhang", description="台账 Taizhang 命令行工具")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_ChineseArgumentParser)
    _add_extract(sub)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
