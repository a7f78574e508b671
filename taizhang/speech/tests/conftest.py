import pytest


@pytest.fixture(scope="session", autouse=True)
def _warm_nlp():
    """Load jieba/jionlp once per test session (they are lazily loaded by the library)."""
    from taizhang.speech.extract import nlp

    nlp.warm()
