"""Base entity of the XiVO XuC integration."""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import cache
from operator import attrgetter
from typing import Any, cast

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription

from .aioxuc import SESSION_STATE, XucSession
from .const import DOMAIN, MANUFACTURER
from .hub import XucHub


class _ReadNotes:
    """The session's state, noting the name of each attribute read through it.

    A name is noted, and passed to `on_first_read`, on its first read; the
    notes then take a class that reads every name noted so far straight from
    the session, as fast as a plain attribute read.
    """

    __slots__ = ("noted", "on_first_read", "source")

    def __init__(
        self, session: XucSession, on_first_read: Callable[[str], None]
    ) -> None:
        """Read through to this session; nothing is noted yet."""
        self.source = session
        self.on_first_read = on_first_read
        self.noted: list[str] = []

    def first_read(self, name: str) -> Any:
        """Note `name`, then read it directly from now on."""
        value = getattr(self.source, name)
        self.noted.append(name)
        self.__class__ = _reading(frozenset(self.noted))
        self.on_first_read(name)
        return value


def _noting(name: str) -> property:
    """A property noting the first read of the state attribute `name`."""
    return property(lambda notes: notes.first_read(name))


for _name in SESSION_STATE:
    setattr(_ReadNotes, _name, _noting(_name))


@cache
def _reading(names: frozenset[str]) -> type[_ReadNotes]:
    """The notes' class once `names` are noted: it reads them directly."""
    direct = {name: property(attrgetter(f"source.{name}")) for name in names}
    return type("_ReadNotes", (_ReadNotes,), {"__slots__": (), **direct})


class XucEntity(Entity):
    """An entity of the XuC user's device, pushed by the session.

    What an entity listens to is what it reads: `_shown`, which decides every
    write, reads `session` through notes, and the added entity follows each
    session attribute from its first read on. It writes its state only when
    what it shows differs from its last write. Commands go to `hub.session`.
    """

    _attr_has_entity_name = True
    _attr_should_poll = False
    # Shortest time between two state writes; 0 writes as soon as possible.
    write_interval = 0.0
    _pending_write: asyncio.Handle | None = None
    _following = False
    _written: tuple[bool, object] | None = None
    _last_write = float("-inf")

    def __init__(self, hub: XucHub, description: EntityDescription) -> None:
        """Attach the entity to the user's device."""
        self.hub = hub
        self.session = hub.session
        self._reads = _ReadNotes(hub.session, self._follow)
        self._noting = cast(XucSession, self._reads)
        self.entity_description = description
        entry = hub.entry
        self._attr_unique_id = f"{entry.entry_id}_{description.key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, entry.entry_id)},
            entry_type=DeviceEntryType.SERVICE,
            name=entry.title,
            manufacturer=MANUFACTURER,
            model="XuC user",
            configuration_url=str(hub.client.base_url),
        )

    @property
    def available(self) -> bool:
        """Whether the session is open."""
        return self.session.connected

    async def async_added_to_hass(self) -> None:
        """Follow the session's changes; Home Assistant writes the first state."""
        await super().async_added_to_hass()
        self._following = True
        self.async_on_remove(self._stop_following)
        for name in self._reads.noted:
            self._follow(name)
        self._written = self._shown()

    def _follow(self, name: str) -> None:
        """Write the state, if it changed, whenever `name` changes."""
        if self._following:
            self.async_on_remove(
                self.hub.session.subscribe_to(name, self._handle_update)
            )

    @callback
    def _stop_following(self) -> None:
        """Ignore the changes still being delivered; drop a pending write."""
        self._following = False
        if self._pending_write is not None:
            self._pending_write.cancel()
            self._pending_write = None

    @callback
    def _handle_update(self) -> None:
        """Write the state if what the entity shows changed.

        Entities with a write interval write at most once an interval: a
        change arriving sooner is written when the interval has passed, with
        the latest value, so a burst becomes one or two writes, never stale.
        An update that changes nothing the entity shows schedules nothing.
        """
        if not self._following:
            return
        if not self.write_interval:
            self._write_if_changed()
        elif self._pending_write is None and self._shown() != self._written:
            loop = self.hass.loop
            self._pending_write = loop.call_at(
                max(self._last_write + self.write_interval, loop.time()),
                self._write_pending,
            )

    def _value(self) -> object:
        """The entity's value; platforms with a costly `state` give a cheaper one."""
        return self.state

    def _shown(self) -> tuple[bool, object]:
        """What a state write would show: availability and value."""
        self.session = self._noting
        try:
            return (self.available, self._value())
        finally:
            self.session = self.hub.session

    @callback
    def _write_pending(self) -> None:
        self._pending_write = None
        if self._write_if_changed():
            self._last_write = self.hass.loop.time()

    @asynccontextmanager
    async def _showing_server_state_on_error(self) -> AsyncIterator[None]:
        """Write the server's state again, as a new state, when a change fails.

        The frontend shows the state it asked for until a new state arrives;
        without one, a refused change would stay on screen.
        """
        try:
            yield
        except Exception:
            self._written = self._shown()
            self._attr_force_update = True
            try:
                self.async_write_ha_state()
            finally:
                self._attr_force_update = False
            raise

    def _write_if_changed(self) -> bool:
        """Write the state unless it would show the same as the last write."""
        shown = self._shown()
        if shown == self._written:
            return False
        self._written = shown
        self.async_write_ha_state()
        return True
