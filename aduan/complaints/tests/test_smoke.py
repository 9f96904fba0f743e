import pytest

from aduan.complaints.tests import factories as f


@pytest.mark.parametrize("state", list(f.BY_STATE))
def test_each_state_factory_reaches_its_state(buton, state):
    """R6: every lifecycle state is reachable through the workflow functions."""
    complaint = f.BY_STATE[state]()
    assert complaint.status == state
