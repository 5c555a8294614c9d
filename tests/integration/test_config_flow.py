"""The config, reauth, reconfigure and options flows."""

from collections.abc import Generator
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_SSL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.xuc.const import CONF_AGENT_PHONE_NUMBER, CONF_USER_ID, DOMAIN
from tests.integration.conftest import entry_data
from tests.xuc_simulator import XucSimulator


@pytest.fixture(autouse=True)
def short_account_wait() -> Generator[None]:
    """Do not wait long for a user configuration that never comes."""
    with patch("custom_components.xuc.config_flow.ACCOUNT_WAIT", 0.2):
        yield


def user_input(simulator: XucSimulator, **changes: Any) -> dict[str, Any]:
    """What a person types in the user step."""
    data = entry_data(simulator, **changes)
    data.pop(CONF_USER_ID)
    return data


async def start_user_flow(hass: HomeAssistant) -> str:
    """Open the user step; return the flow id."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}
    return str(result["flow_id"])


async def test_user_flow_creates_the_entry(
    hass: HomeAssistant, simulator: XucSimulator
) -> None:
    """A working account becomes an entry named after the user."""
    flow_id = await start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id,
        user_input(simulator, **{CONF_HOST: " 127.0.0.1 ", CONF_USERNAME: "Alice"}),
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Alice Johnson"
    assert result["data"] == entry_data(simulator, **{CONF_USERNAME: "Alice"})
    assert result["result"].unique_id == "9"
    assert result["result"].version == 2
    await hass.async_block_till_done()
    await simulator.wait_for_connections(1)


async def test_user_flow_without_user_configuration(
    hass: HomeAssistant, simulator: XucSimulator
) -> None:
    """A server that never says which user logged in cannot be added."""
    simulator.config.sparse = True
    flow_id = await start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(simulator)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unidentified_account"}
    assert hass.config_entries.async_entries(DOMAIN) == []


async def test_user_flow_without_a_full_name(
    hass: HomeAssistant, simulator: XucSimulator
) -> None:
    """A user the server names only by id: the entry takes the username."""
    simulator.accounts["alice"].full_name = ""
    flow_id = await start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "alice"
    assert result["data"][CONF_USER_ID] == 9


@pytest.mark.parametrize(
    ("mode", "error"),
    [
        ("reject", "invalid_auth"),
        ("error", "cannot_connect"),
        ("refuse", "cannot_connect"),
    ],
)
async def test_user_flow_errors_then_recovery(
    hass: HomeAssistant, simulator: XucSimulator, mode: str, error: str
) -> None:
    """Errors are shown on the form, nothing is created, and a retry works."""
    simulator.config.login_mode = mode
    flow_id = await start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(simulator)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}
    assert hass.config_entries.async_entries(DOMAIN) == []
    simulator.config.login_mode = "ok"
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_unexpected_error(
    hass: HomeAssistant, simulator: XucSimulator
) -> None:
    """An unexpected error shows `unknown` without creating anything."""
    flow_id = await start_user_flow(hass)
    with patch(
        "custom_components.xuc.config_flow.validate_account",
        side_effect=RuntimeError("boom"),
    ):
        result = await hass.config_entries.flow.async_configure(
            flow_id, user_input(simulator)
        )
    assert result["errors"] == {"base": "unknown"}
    assert hass.config_entries.async_entries(DOMAIN) == []


async def test_the_password_is_not_suggested_back(
    hass: HomeAssistant, simulator: XucSimulator
) -> None:
    """After an error the form keeps what was typed, except the password."""
    simulator.config.login_mode = "reject"
    flow_id = await start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(simulator)
    )
    suggested = {
        key.schema: key.description.get("suggested_value")
        for key in result["data_schema"].schema
        if key.description
    }
    assert suggested[CONF_USERNAME] == "alice"
    assert CONF_PASSWORD not in suggested


@pytest.mark.parametrize(
    "changes", [{}, {CONF_HOST: "localhost"}, {CONF_USERNAME: "ALICE"}]
)
async def test_same_account_twice_aborts(
    hass: HomeAssistant,
    simulator: XucSimulator,
    config_entry: MockConfigEntry,
    changes: dict[str, str],
) -> None:
    """The same XiVO user is configured once, whatever address reaches it."""
    config_entry.add_to_hass(hass)
    flow_id = await start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(simulator, **changes)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_same_account_through_another_port_aborts(
    hass: HomeAssistant, simulator: XucSimulator, config_entry: MockConfigEntry
) -> None:
    """The user reached through a second listener (as nginx on 443) aborts."""
    config_entry.add_to_hass(hass)
    proxy = XucSimulator()
    await proxy.start()
    try:
        flow_id = await start_user_flow(hass)
        result = await hass.config_entries.flow.async_configure(
            flow_id, user_input(simulator, **{CONF_PORT: proxy.port})
        )
    finally:
        await proxy.stop()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert proxy.login_count == 1


async def test_reauth(
    hass: HomeAssistant, simulator: XucSimulator, config_entry: MockConfigEntry
) -> None:
    """Reauth asks for the password, reports a wrong one, saves a right one."""
    config_entry.add_to_hass(hass)
    simulator.accounts["alice"].password = "new-secret"
    result = await config_entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    placeholders = result["description_placeholders"]
    assert (placeholders[CONF_USERNAME], placeholders[CONF_HOST]) == (
        "alice",
        "127.0.0.1",
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "still-wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "new-secret"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    # Our own text, not Home Assistant's generic one.
    assert result.get("translation_domain") is None
    assert config_entry.data[CONF_PASSWORD] == "new-secret"
    await hass.async_block_till_done()


async def test_reauth_refuses_another_user(
    hass: HomeAssistant, simulator: XucSimulator, config_entry: MockConfigEntry
) -> None:
    """A password that logs in as another XiVO user changes nothing."""
    config_entry.add_to_hass(hass)
    simulator.accounts["alice"].user_id = 99
    result = await config_entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSWORD: "secret"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert config_entry.unique_id == "9"


async def reconfigure(
    hass: HomeAssistant, entry: MockConfigEntry, **changes: Any
) -> dict[str, Any]:
    """Run the reconfigure step with the entry's server settings changed."""
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    server = {
        key: entry.data[key]
        for key in (CONF_HOST, CONF_PORT, CONF_SSL, CONF_VERIFY_SSL)
    }
    return dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {**server, **changes}
        )
    )


async def test_reconfigure_changes_the_address(
    hass: HomeAssistant, simulator: XucSimulator, config_entry: MockConfigEntry
) -> None:
    """The same account reached by another name is saved; its unique id stays."""
    config_entry.add_to_hass(hass)
    result = await reconfigure(hass, config_entry, **{CONF_HOST: "localhost"})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert result.get("translation_domain") is None
    assert config_entry.data[CONF_HOST] == "localhost"
    assert config_entry.unique_id == "9"
    await hass.async_block_till_done()


async def test_reconfigure_keeps_the_address(
    hass: HomeAssistant, simulator: XucSimulator, config_entry: MockConfigEntry
) -> None:
    """Submitting unchanged settings works too."""
    config_entry.add_to_hass(hass)
    result = await reconfigure(hass, config_entry)
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()


async def test_reconfigure_refuses_another_account(
    hass: HomeAssistant, simulator: XucSimulator, config_entry: MockConfigEntry
) -> None:
    """A server where the username is another user is refused."""
    simulator.accounts["alice"].user_id = 99
    config_entry.add_to_hass(hass)
    result = await reconfigure(hass, config_entry, **{CONF_HOST: "localhost"})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert config_entry.data[CONF_HOST] == "127.0.0.1"


def version_1_entry(simulator: XucSimulator, user_id: int | None) -> MockConfigEntry:
    """An entry made before entries were identified by the XiVO user id."""
    return MockConfigEntry(
        domain=DOMAIN,
        unique_id=f"127.0.0.1:{simulator.port}:alice",
        version=1,
        data=entry_data(simulator, **{CONF_USER_ID: user_id}),
    )


async def test_reconfigure_a_duplicate(
    hass: HomeAssistant, simulator: XucSimulator, config_entry: MockConfigEntry
) -> None:
    """An old entry of a user that another entry has is not identified as it."""
    config_entry.add_to_hass(hass)
    duplicate = version_1_entry(simulator, None)
    duplicate.add_to_hass(hass)
    result = await reconfigure(hass, duplicate, **{CONF_HOST: "localhost"})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert duplicate.unique_id == f"127.0.0.1:{simulator.port}:alice"
    assert duplicate.data[CONF_HOST] == "127.0.0.1"


async def test_reconfigure_an_old_entry_of_another_user(
    hass: HomeAssistant, simulator: XucSimulator
) -> None:
    """An old entry that stored another user id refuses this user."""
    entry = version_1_entry(simulator, 42)
    entry.add_to_hass(hass)
    result = await reconfigure(hass, entry)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert entry.version == 1


async def test_reconfigure_error_then_recovery(
    hass: HomeAssistant, simulator: XucSimulator, config_entry: MockConfigEntry
) -> None:
    """A wrong port shows cannot_connect; the right one succeeds."""
    config_entry.add_to_hass(hass)
    result = await reconfigure(hass, config_entry, **{CONF_PORT: 1})
    assert result["errors"] == {"base": "cannot_connect"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_HOST: "127.0.0.1",
            CONF_PORT: simulator.port,
            CONF_SSL: False,
            CONF_VERIFY_SSL: True,
        },
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()


async def test_reconfigure_learns_the_user_id(
    hass: HomeAssistant, simulator: XucSimulator
) -> None:
    """An entry made without a user id gets it from the first reconfigure."""
    entry = version_1_entry(simulator, None)
    entry.add_to_hass(hass)
    result = await reconfigure(hass, entry)
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_USER_ID] == 9
    assert (entry.unique_id, entry.version) == ("9", 2)
    await hass.async_block_till_done()


@pytest.mark.parametrize(
    ("typed", "saved"),
    [("+33 (0)1 23-45", {CONF_AGENT_PHONE_NUMBER: "+33012345"}), ("  ", {})],
)
async def test_options(
    hass: HomeAssistant,
    config_entry: MockConfigEntry,
    typed: str,
    saved: dict[str, str],
) -> None:
    """The agent phone number is cleaned up, or cleared when left blank."""
    config_entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(config_entry.entry_id)
    assert result["step_id"] == "init"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_AGENT_PHONE_NUMBER: "12a"}
    )
    assert result["errors"] == {CONF_AGENT_PHONE_NUMBER: "invalid_phone_number"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_AGENT_PHONE_NUMBER: typed}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert config_entry.options == saved
