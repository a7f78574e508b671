"""Read .txt / .docx / .pdf files into plain text, defensively.

No Django here. All failures raise :class:`ExtractionError` with a Chinese message.
"""

from __future__ import annotations

import codecs
import io
import os
import zipfile
from pathlib import Path

from .errors import ExtractionError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # size of the uploaded file
DEFAULT_MAX_UNCOMPRESSED = 100 * 1024 * 1024  # total size of a .docx once unzipped
DEFAULT_MAX_ZIP_ENTRIES = 2000
MAX_COMPRESSION_RATIO = 200  # per entry, for entries above 1 MB

TEXT_SUFFIXES = {".txt", ".text", ".md", ".csv"}


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def decode_bytes(data: bytes) -> str:
    """Decode text bytes: BOMs first, then strict UTF-8, then GB18030 (superset of GBK/GB2312)."""
    if not data:
        raise ExtractionError("文件为空,没有可提取的内容。")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    try:  # last resort: statistical detection (charset-normalizer ships with requests)
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None:
            return str(best)
    except ImportError:  # pragma: no cover
        pass
    raise ExtractionError("无法识别文本文件的编码,请另存为 UTF-8 或 GBK 编码后重试。")


def check_zip(
    path_or_file, max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED, max_entries: int = DEFAULT_MAX_ZIP_ENTRIES
) -> None:
    """Refuse zip bombs before python-docx touches the archive."""
    try:
        with zipfile.ZipFile(path_or_file) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError):
        raise ExtractionError("文件不是有效的 Word 文档(.docx),可能已损坏。")
    if len(infos) > max_entries:
        raise ExtractionError(f"Word 文档内部文件数过多({len(infos)} 个),疑似恶意压缩包,已拒绝处理。")
    total = 0
    for info in infos:
        total += info.file_size
        if (
            info.file_size > 1024 * 1024
            and info.compress_size > 0
            and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO
        ):
            raise ExtractionError("Word 文档压缩比异常,疑似恶意压缩包(zip 炸弹),已拒绝处理。")
    if total > max_uncompressed:
        raise ExtractionError(f"Word 文档解压后过大(超过 {_mb(max_uncompressed)}),疑似恶意压缩包,已拒绝处理。")
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        raise ExtractionError("文件不是有效的 Word 文档(.docx):缺少正文部分。")


def read_docx(data: bytes, max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED) -> str:
    check_zip(io.BytesIO(data), max_uncompressed=max_uncompressed)
    try:
        import docx  # python-docx

        document = docx.Document(io.BytesIO(data))
    except ExtractionError:
        raise
    except Exception:
        raise ExtractionError("Word 文档解析失败,文件可能已损坏或不是 .docx 格式。")
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    parts = []
    # paragraphs and tables in document order (an appended project list stays under its 附件 title)
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            parts.append(Paragraph(child, document).text)
        elif child.tag == qn("w:tbl"):
            parts.extend(_table_lines(Table(child, document)))
    return "\n".join(parts)


def _table_lines(table) -> list[str]:
    """One line per row, cells joined by a tab (empty cells kept so that columns stay aligned; a cell
    merged across columns is given once; line breaks inside a cell become spaces)."""
    lines = []
    for row in table.rows:
        cells, seen = [], []
        for cell in row.cells:
            if any(cell._tc is tc for tc in seen):  # a merged cell repeats for each grid column it spans
                continue
            seen.append(cell._tc)
            cells.append(" ".join(cell.text.replace("\t", " ").split()))
        if any(cells):
            lines.append("\t".join(cells))
    return lines


def read_pdf(data: bytes) -> str:
    try:
        from pdfminer.high_level import extract_text
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError:  # pragma: no cover
        raise ExtractionError("服务器未安装 PDF 解析组件(pdfminer.six)。")
    try:
        text = extract_text(io.BytesIO(data))
    except PDFSyntaxError:
        raise ExtractionError("PDF 文件格式错误或已损坏,无法读取。")
    except Exception as exc:  # encrypted PDFs etc.
        name = type(exc).__name__
        if "Encrypt" in name or "Password" in name:
            raise ExtractionError("PDF 文件已加密,请先解除密码保护。")
        raise ExtractionError("PDF 文件无法解析,可能已损坏。")
    text = text.replace("\x0c", "\n")
    if not text.strip():
        raise ExtractionError("PDF 中没有可提取的文字,可能是扫描件或图片,请先进行文字识别(OCR)后再上传。")
    return text


def sniff_kind(path: Path, head: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix == ".docx" or (suffix not in TEXT_SUFFIXES | {".pdf"} and head.startswith(b"PK\x03\x04")):
        return "docx"
    if suffix == ".pdf" or head.startswith(b"%PDF"):
        return "pdf"
    if suffix == ".doc" or head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    return "txt"


def load_file(path, max_bytes: int = DEFAULT_MAX_BYTES, max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED) -> str:
    """Return the text of ``path`` (.txt in UTF-8/UTF-8-SIG/GBK/GB18030, .docx, text .pdf)."""
    path = Path(path)
    if not path.exists():
        raise ExtractionError(f"文件不存在:{path}")
    if not path.is_file():
        raise ExtractionError(f"不是文件:{path}")
    size = os.path.getsize(path)
    if size == 0:
        raise ExtractionError("文件为空,没有可提取的内容。")
    if size > max_bytes:
        raise ExtractionError(f"文件过大({size / 1024 / 1024:.1f} MB),超过上限 {_mb(max_bytes)}。")
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1)
    kind = sniff_kind(path, data[:8])
    if kind == "doc":
        raise ExtractionError("不支持旧版 Word(.doc)格式,请另存为 .docx 后上传。")
    if kind == "docx":
        text = read_docx(data, max_uncompressed=max_uncompressed)
    elif kind == "pdf":
        text = read_pdf(data)
    else:
        text = decode_bytes(data)
    if not text.strip():
        raise ExtractionError("文件中没有可提取的文字内容。")
    return text
