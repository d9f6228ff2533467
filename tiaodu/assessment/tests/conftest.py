import pytest


@pytest.fixture
def assessment_world(world):
    from tiaodu.assessment.testing import add_assessment

    return add_assessment(world)
