"""Production settings pass Django's deployment checklist (manage.py check --deploy)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_check_deploy_is_clean_under_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "taizhang.settings.prod",
        "TAIZHANG_SECRET_KEY": "ci-only-" + "k" * 60,
        "TAIZHANG_ALLOWED_HOSTS": "taizhang.example.gov.cn",
    }
    env.pop("DATABASE_URL", None)
    proc = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_production_settings_refuse_to_start_without_a_secret():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "taizhang.settings.prod"}
    env.pop("TAIZHANG_SECRET_KEY", None)
    proc = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode != 0 and "TAIZHANG_SECRET_KEY" in proc.stderr
