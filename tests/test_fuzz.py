"""A small hypothesis budget of the fuzz targets scripts/fuzz runs at length."""

from hypothesis import HealthCheck, given, settings
import pytest

from custom_components.xuc.services import ACTIONS
from tests.fuzz_strategies import FRAME_RULES, TARGETS

EXAMPLES = 200


@pytest.mark.parametrize("name", list(TARGETS))
def test_fuzz_target(name: str) -> None:
    """No example breaks the target's property."""
    target = TARGETS[name]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(target.strategy)
    def run(example: object) -> None:
        target.check(example)

    run()


def test_every_action_is_fuzzed() -> None:
    """Each action has the rules its frames are checked against."""
    assert set(FRAME_RULES) == set(ACTIONS)
