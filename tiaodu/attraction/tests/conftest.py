import pytest


@pytest.fixture
def lead_world(problem_world):
    """``problem_world`` with attraction teams and leads in both counties (tiaodu.attraction.testing)."""
    from tiaodu.attraction.testing import add_leads

    return add_leads(problem_world)
