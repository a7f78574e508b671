"""Chinese first, English switchable."""

from django.urls import reverse


def test_pages_are_chinese_by_default_and_english_on_request(client, world):
    client.force_login(world.reporter_a)
    page = client.get(reverse("ledger:projects")).content.decode()
    assert "重点项目" in page and "牵头单位" in page
    r = client.post(reverse("set_language"), {"language": "en", "next": reverse("ledger:projects")})
    assert r.status_code == 302
    page = client.get(reverse("ledger:projects")).content.decode()
    assert "Key projects" in page and "Lead unit" in page


def test_every_catalogue_entry_is_translated():
    from pathlib import Path

    po = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    text = po.read_text(encoding="utf-8")
    blocks = [b for b in text.split("\n\n")[1:] if "msgid" in b and not b.lstrip().startswith("#~")]
    untranslated = [b for b in blocks if b.rstrip().endswith('msgstr ""') or 'msgstr[0] ""' in b.splitlines()[-1:]]
    assert not untranslated, untranslated[:3]
    assert not [b for b in blocks if "#, fuzzy" in b], "fuzzy translations left"


def test_every_string_the_code_translates_is_in_the_catalogue():
    """xgettext does not look inside f-strings: a ``_("…")`` there never reaches the
    catalogue and shows in English on a Chinese page. Python's own parser does."""
    import ast
    from pathlib import Path

    from django.utils.translation import trans_real

    catalog = trans_real.translation("zh-hans")._catalog
    keys = {k if isinstance(k, str) else k[0] for k in catalog.keys()}
    root = Path(__file__).resolve().parents[2]
    names = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
    missing = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        if "/tests/" in rel or rel.startswith("speech/extract/") or "/migrations/" in rel:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in names
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and node.args[0].value not in keys
            ):
                missing.append(f"{rel}:{node.lineno}: {node.args[0].value!r}")
    assert not missing, missing
