import io
import zipfile
from datetime import date

import pytest

from taizhang.speech.extract import ExtractionError, extract_file
from taizhang.speech.extract.clean import clean
from taizhang.speech.extract.loader import load_file

TEXT = "各乡镇要在3月底前完成摸底排查,确保年底前全部建成。"


def test_gbk_and_utf8_sig_and_gb18030(tmp_path):
    for enc in ("gbk", "utf-8-sig", "gb18030", "utf-8"):
        p = tmp_path / f"a_{enc}.txt"
        p.write_bytes(TEXT.encode(enc))
        assert load_file(p) == TEXT


def test_gbk_file_extracts(tmp_path):
    p = tmp_path / "speech.txt"
    p.write_bytes(("同志们:\n" + TEXT).encode("gbk"))
    r = extract_file(p, date(2024, 1, 10))
    assert r["directives"][0]["owners"] == ["各乡镇"]


def test_empty_file_is_a_clear_error(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    with pytest.raises(ExtractionError) as e:
        load_file(p)
    assert "为空" in e.value.message
    p.write_bytes(b"   \n \n")
    with pytest.raises(ExtractionError):
        load_file(p)


def test_size_limit(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes(TEXT.encode() * 100)
    with pytest.raises(ExtractionError) as e:
        load_file(p, max_bytes=1000)
    assert "过大" in e.value.message


def _pdf(content: bytes | None) -> bytes:
    """A minimal valid PDF; with content=None the page has no text (like a scan)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]
    if content is None:
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>")
    else:
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
        )
        objs.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + o + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


def test_scanned_pdf_without_text_is_a_clear_error(tmp_path):
    p = tmp_path / "scan.pdf"
    p.write_bytes(_pdf(None))
    with pytest.raises(ExtractionError) as e:
        load_file(p)
    assert "扫描件" in e.value.message


def test_text_pdf_is_read(tmp_path):
    p = tmp_path / "t.pdf"
    p.write_bytes(_pdf(b"BT /F1 12 Tf 72 720 Td (Invest 100 yuan in 2024) Tj ET"))
    assert "Invest 100 yuan" in load_file(p)


def test_docx_is_read(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("同志们:")
    d.add_paragraph("各街道要在10月底前完成72个老旧小区改造。")
    p = tmp_path / "s.docx"
    d.save(p)
    r = extract_file(p, date(2024, 3, 1))
    assert r["directives"][0]["deadline"]["end"] == "2024-10-31"


def test_zip_bomb_docx_rejected(tmp_path):
    p = tmp_path / "bomb.docx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (8 * 1024 * 1024))
    with pytest.raises(ExtractionError) as e:
        load_file(p)
    assert "压缩" in e.value.message
    # many entries
    p2 = tmp_path / "many.docx"
    with zipfile.ZipFile(p2, "w") as z:
        z.writestr("word/document.xml", "<w/>")
        for i in range(2100):
            z.writestr(f"x/{i}.xml", "")
    with pytest.raises(ExtractionError):
        load_file(p2)
    # total size over the configured limit
    p3 = tmp_path / "big.docx"
    with zipfile.ZipFile(p3, "w", zipfile.ZIP_STORED) as z:
        z.writestr("word/document.xml", b"a" * 200_000)
    with pytest.raises(ExtractionError):
        load_file(p3, max_uncompressed=100_000)


def test_not_a_docx(tmp_path):
    p = tmp_path / "fake.docx"
    p.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ExtractionError):
        load_file(p)


def test_page_furniture_removed():
    raw = (
        "第一段正文。\n(资料图片)\n责任编辑:张三\n(下转第七版)\n本文档内容版权归属内容提供方,未经授权禁止转载\n"
        "— 3 —\n项目建设取得新进展(上接第一版)。\n(通讯员 房佳瑶 王子怡)"
    )
    ct = clean(raw)
    assert ct == "第一段正文。\n项目建设取得新进展。"


def test_reflowed_pdf_text_gets_paragraphs_back():
    line = (
        "第二句话,形势催人奋进,要把握机遇、择势而胜,坚 定发展信心 今年,突如其来的这场疫情,很大程度上打乱了我们的 "
        "工作节奏,导致经济活动几乎到了停摆的境地,一些重大 项目建设被迫延缓,经济发展受到抑制。但战“疫”终有胜 "
        "日,发展不可停顿。今年,是全面建成小康社会和“十三五” 规划的收官之年,是站上新起点、开启新征程的成势之年, "
        "大事多、要事多,难事也多,越是艰难越要向前。我们必须 “知势而后行,择势而后胜”,在今年的大战大考中交上一 "
        "份满意答卷。 一要清楚大势。从宏观形势看,当今世界面临 着全球经济深度衰退、国际贸易和投资大幅萎缩、国际交往 "
        "受限等诸多不确定性因素。今年 5 月 23 日,总书记指出,我 国经济潜力足、韧性强、回旋空间大的基本特点没有变。"
    )
    ct = clean(line)
    assert ct.split("\n")[0] == "第二句话,形势催人奋进,要把握机遇、择势而胜,坚定发展信心"
    assert "今年5月23日" in ct
