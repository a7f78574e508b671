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
