"""Repair issues: problems on the server side that the user can fix."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN

if TYPE_CHECKING:
    from .hub import XucConfigEntry

NO_LINE = "no_line"
UNSUPPORTED_SERVER = "unsupported_server"
ISSUES = (NO_LINE, UNSUPPORTED_SERVER)

# Home Assistant 2026.11 links an issue to its config entry (and removes it
# with the entry); older releases have no such parameter.
LINKS_CONFIG_ENTRY = (
    "config_entry_id" in inspect.signature(ir.async_create_issue).parameters
)


def _entry_link(entry_id: str) -> dict[str, Any]:
    """The issue's link to its config entry, where Home Assistant has one."""
    return {"config_entry_id": entry_id} if LINKS_CONFIG_ENTRY else {}


def issue_id(entry_id: str, key: str) -> str:
    """The id of one entry's issue."""
    return f"{key}_{entry_id}"


@callback
def async_set_issue(
    hass: HomeAssistant, entry: XucConfigEntry, key: str, *, active: bool
) -> None:
    """Raise or clear one entry's repair issue."""
    if not active:
        ir.async_delete_issue(hass, DOMAIN, issue_id(entry.entry_id, key))
        return
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(entry.entry_id, key),
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=key,
        translation_placeholders={"title": entry.title},
        **_entry_link(entry.entry_id),
    )


@callback
def async_clear_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Remove every repair issue of a removed entry."""
    for key in ISSUES:
        ir.async_delete_issue(hass, DOMAIN, issue_id(entry_id, key))
