"""Exponential back-off with full jitter."""

from collections.abc import Callable
import random

from .const import BACKOFF_INITIAL, BACKOFF_MAX


class Backoff:
    """Delays drawn uniformly below a ceiling that doubles up to a cap."""

    def __init__(
        self,
        *,
        initial: float = BACKOFF_INITIAL,
        maximum: float = BACKOFF_MAX,
        rng: Callable[[], float] = random.random,
    ) -> None:
        """Start with a ceiling of `initial` seconds."""
        self._initial = initial
        self._maximum = maximum
        self._rng = rng
        self._attempt = 0

    @property
    def ceiling(self) -> float:
        """The largest delay the next call can return."""
        return min(self._maximum, self._initial * 2.0**self._attempt)

    def next_delay(self) -> float:
        """Return the delay before the next attempt and raise the ceiling."""
        delay = self._rng() * self.ceiling
        if self.ceiling < self._maximum:
            self._attempt += 1
        return delay

    def reset(self) -> None:
        """Start again from the initial ceiling."""
        self._attempt = 0
