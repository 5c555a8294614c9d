"""Repair issues: problems on the server side that the user should fix."""

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN

NO_LINE = "no_line"
NO_VOICEMAIL = "no_voicemail"
UNSUPPORTED_SERVER = "unsupported_server"
ISSUES = (NO_LINE, NO_VOICEMAIL, UNSUPPORTED_SERVER)


@callback
def async_set_issue(
    hass: HomeAssistant, entry_id: str, title: str, key: str, *, active: bool
) -> None:
    """Raise or clear one entry's repair issue."""
    issue_id = f"{key}_{entry_id}"
    if active:
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=key,
            translation_placeholders={"title": title},
        )
    else:
        ir.async_delete_issue(hass, DOMAIN, issue_id)


@callback
def async_clear_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Remove every repair issue of a removed entry."""
    for key in ISSUES:
        ir.async_delete_issue(hass, DOMAIN, f"{key}_{entry_id}")
