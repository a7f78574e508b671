import json
import os
import subprocess
import sys
from pathlib import Path

from taizhang.cli import main

ROOT = Path(__file__).resolve().parents[3]


def test_cli_prints_only_json(tmp_path):
    p = tmp_path / "s.txt"
    p.write_text("同志们:\n各乡镇要在3月底或4月初完成摸底,到位资金100.9亿元。", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "taizhang.cli", "extract", str(p), "--date", "2024-01-10"]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)  # noqa: S603
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)  # the whole of stdout is one JSON document
    assert data["directives"][0]["deadline"]["end"] == "2024-04-10"
    assert data["figures"][0]["value"] == 10090000000
    assert "django" not in proc.stderr.lower()


def test_cli_errors_are_chinese_on_stderr_exit_2(tmp_path, capsys):
    empty = tmp_path / "e.txt"
    empty.write_bytes(b"")
    assert main(["extract", str(empty), "--date", "2024-01-10"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "文件为空" in err
    assert main(["extract", str(empty), "--date", "2024-13-45"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "日期" in err


def test_cli_does_not_import_django():
    code = "import sys, taizhang.cli, taizhang.speech.extract as e; print(any(m.startswith('django') for m in sys.modules))"
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,  # noqa: S603
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        timeout=60,
    )
    assert proc.stdout.strip() == "False"
