"""Listener lists that may change while they are being called."""

from collections.abc import Callable


class Listeners[T]:
    """Callbacks in subscription order.

    `callbacks` is a tuple replaced on every change: iterating it costs no copy,
    and a callback may subscribe or unsubscribe while the others are called.
    """

    __slots__ = ("callbacks",)

    def __init__(self) -> None:
        """Start empty."""
        self.callbacks: tuple[T, ...] = ()

    def add(self, listener: T) -> Callable[[], None]:
        """Add a listener; return a function that removes it (safe to call twice)."""
        self.callbacks = (*self.callbacks, listener)
        added = True

        def remove() -> None:
            nonlocal added
            if added:
                added = False
                index = self.callbacks.index(listener)
                self.callbacks = self.callbacks[:index] + self.callbacks[index + 1 :]

        return remove
