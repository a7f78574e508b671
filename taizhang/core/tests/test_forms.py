"""Posted ids and versions: what a tampered or stale form may send."""

from taizhang.core.forms import ID_MAX, as_id, as_ids, as_version


def test_ids_beyond_64_bits_or_not_numbers_are_no_ids():
    assert as_id("42") == 42 and as_id(" 7 ") == 7
    assert as_id(str(ID_MAX)) == ID_MAX
    assert as_id(str(ID_MAX + 1)) is None  # SQLite could not even bind it
    assert as_id("abc") is None and as_id(None) is None and as_id("") is None
    assert as_ids(["3", "x", "99999999999999999999999", "5"]) == [3, 5]


def test_a_version_that_cannot_be_one_is_stale_not_missing():
    assert as_version(None) is None and as_version("") is None  # nothing sent
    assert as_version("4") == 4
    for bad in ("abc", "-3", "99999999999999999999999"):
        assert as_version(bad) == -1  # no row has it: the edit is refused as stale
