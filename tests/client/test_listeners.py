"""Listener lists that change while they are being called."""

from typing import TYPE_CHECKING

from aioxuc import Listeners

if TYPE_CHECKING:
    from collections.abc import Callable


def test_order_and_removal() -> None:
    """Listeners run in subscription order; removing one twice is harmless."""
    listeners: Listeners[str] = Listeners()
    remove_a = listeners.add("a")
    listeners.add("b")
    remove_a2 = listeners.add("a")
    assert listeners.callbacks == ("a", "b", "a")
    remove_a()
    remove_a()
    assert listeners.callbacks == ("b", "a")
    remove_a2()
    assert listeners.callbacks == ("b",)


def test_change_while_calling() -> None:
    """A listener unsubscribing itself while called does not skip the next one."""
    listeners: Listeners[Callable[[], None]] = Listeners()
    called: list[str] = []

    def first() -> None:
        called.append("first")
        remove_first()

    def second() -> None:
        called.append("second")

    remove_first = listeners.add(first)
    listeners.add(second)
    for listener in listeners.callbacks:
        listener()
    assert called == ["first", "second"]
    assert listeners.callbacks == (second,)
