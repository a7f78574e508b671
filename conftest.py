import pytest


@pytest.fixture
def world(db):
    from taizhang.core.testing import build_world

    return build_world()
