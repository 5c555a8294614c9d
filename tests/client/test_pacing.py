"""Throttle pacing and reconnect back-off."""

import pytest

from aioxuc import Backoff, Throttle, XucRateLimitedError


class FakeClock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        """Start at an arbitrary time."""
        self.now = 1000.0

    def __call__(self) -> float:
        """Return the current time."""
        return self.now


def server_accepts(send_times: list[float], *, rate: float, burst: int) -> bool:
    """Replay frames through the server's token bucket; False if one is refused."""
    tokens = float(burst)
    last = send_times[0] if send_times else 0.0
    for moment in send_times:
        tokens = min(burst, tokens + (moment - last) * rate)
        last = moment
        if tokens < 1:
            return False
        tokens -= 1
    return True


def test_burst_then_steady_rate() -> None:
    """A burst goes out at once; later frames are spaced at the rate."""
    clock = FakeClock()
    throttle = Throttle(rate=3.0, burst=10, reserve=2, max_wait=100, clock=clock)
    waits = [throttle.reserve() for _ in range(12)]
    assert waits[:8] == [0.0] * 8
    assert waits[8] == pytest.approx(1 / 3)
    assert waits[11] == pytest.approx(4 / 3)


def test_pings_use_the_reserve() -> None:
    """Commands leave room that heartbeats may take without waiting."""
    clock = FakeClock()
    throttle = Throttle(rate=3.0, burst=10, reserve=2, max_wait=100, clock=clock)
    for _ in range(8):
        assert throttle.reserve() == 0.0
    assert throttle.reserve(priority=True) == 0.0
    assert throttle.reserve(priority=True) == 0.0
    assert throttle.reserve(priority=True) > 0.0


def test_bounded_wait_refuses_without_booking() -> None:
    """Over the bounded wait a command is refused and books nothing."""
    clock = FakeClock()
    throttle = Throttle(rate=1.0, burst=2, reserve=0, max_wait=1.0, clock=clock)
    assert throttle.reserve() == 0.0
    assert throttle.reserve() == 0.0
    assert throttle.reserve() == pytest.approx(1.0)
    with pytest.raises(XucRateLimitedError, match=r"next slot is 2\.0 s away"):
        throttle.reserve()
    clock.now += 1.0
    assert throttle.reserve() == pytest.approx(1.0)


def test_refills_over_time() -> None:
    """An idle pacer is full again after burst / rate seconds."""
    clock = FakeClock()
    throttle = Throttle(rate=2.0, burst=4, reserve=0, max_wait=0, clock=clock)
    for _ in range(4):
        throttle.reserve()
    clock.now += 2.0
    assert [throttle.reserve() for _ in range(4)] == [0.0] * 4


def test_penalty_blocks_commands() -> None:
    """After the server's throttle error nothing is sent for the penalty."""
    clock = FakeClock()
    throttle = Throttle(rate=3.0, burst=10, reserve=0, max_wait=5.0, clock=clock)
    throttle.penalize(30.0)
    with pytest.raises(XucRateLimitedError):
        throttle.reserve()
    assert throttle.reserve(priority=True) == pytest.approx(30.0)


def test_default_pacing_never_trips_the_server() -> None:
    """500 commands plus heartbeats stay inside XuC's 90 per 30 s, burst 180."""
    clock = FakeClock()
    throttle = Throttle(max_wait=1e9, clock=clock)
    sent: list[float] = []
    next_ping = clock.now
    for _ in range(500):
        while next_ping <= clock.now:
            sent.append(next_ping + throttle.reserve(priority=True))
            next_ping += 5.0
        wait = throttle.reserve()
        clock.now += wait
        sent.append(clock.now)
    assert server_accepts(sorted(sent), rate=3.0, burst=180)
    assert not server_accepts([clock.now] * 181, rate=3.0, burst=180)
    # The pacer is not needlessly slow: 170 go at once, then 3 per second.
    assert clock.now - 1000.0 == pytest.approx((500 - 170 + len(sent) - 500) / 3, abs=2)


def test_backoff_grows_to_cap_with_full_jitter() -> None:
    """Ceilings double from the initial delay up to the cap; delays are jittered."""
    backoff = Backoff(initial=1.0, maximum=20.0, rng=lambda: 1.0)
    assert [backoff.next_delay() for _ in range(7)] == [1, 2, 4, 8, 16, 20, 20]
    backoff.reset()
    assert backoff.next_delay() == 1.0
    jittered = Backoff(initial=1.0, maximum=20.0, rng=lambda: 0.25)
    assert [jittered.next_delay() for _ in range(3)] == [0.25, 0.5, 1.0]


def test_backoff_default_first_retry_within_a_second() -> None:
    """The first retry comes within a second, whatever the draw."""
    for _ in range(100):
        assert 0 <= Backoff().next_delay() <= 1.0
