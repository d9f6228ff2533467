import pytest

from tiaodu.chains.testing import add_chains


@pytest.fixture
def chain_world(world):
    return add_chains(world)
