import pytest


@pytest.fixture
def g(world):
    from taizhang.grid.testing import build_grid

    return build_grid(world)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
