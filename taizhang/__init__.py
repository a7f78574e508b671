"""Taizhang (台账): the key-work ledger platform of a Chinese district government."""
