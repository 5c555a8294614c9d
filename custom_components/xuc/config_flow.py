"""Config flow of the XiVO XuC integration."""

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_SSL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.data_entry_flow import AbortFlow
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import voluptuous as vol

from .aioxuc import (
    DEFAULT_PORT,
    UserConfig,
    UserConfigUpdate,
    XucAuthenticationError,
    XucError,
    XucEvent,
)
from .const import CONF_AGENT_PHONE_NUMBER, CONF_USER_ID, DOMAIN, LOGGER
from .hub import XucConfigEntry, create_client
from .migration import VERSION, account_id, async_identify
from .validation import validate_phone_number

# How long to wait for the user's name after the session opens.
ACCOUNT_WAIT = 3.0

_PORT = NumberSelector(
    NumberSelectorConfig(min=1, max=65535, mode=NumberSelectorMode.BOX)
)
_PASSWORD = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
_SERVER_FIELDS = {
    vol.Required(CONF_HOST): str,
    vol.Required(CONF_PORT, default=DEFAULT_PORT): _PORT,
    vol.Required(CONF_SSL, default=False): bool,
    vol.Required(CONF_VERIFY_SSL, default=True): bool,
}
USER_SCHEMA = vol.Schema(
    {
        **_SERVER_FIELDS,
        vol.Required(CONF_USERNAME): str,
        vol.Required(CONF_PASSWORD): _PASSWORD,
    }
)
RECONFIGURE_SCHEMA = vol.Schema(_SERVER_FIELDS)
REAUTH_SCHEMA = vol.Schema({vol.Required(CONF_PASSWORD): _PASSWORD})
OPTIONS_SCHEMA = vol.Schema(
    {
        vol.Optional(CONF_AGENT_PHONE_NUMBER): TextSelector(
            TextSelectorConfig(type=TextSelectorType.TEL)
        )
    }
)


class UnidentifiedAccountError(Exception):
    """The server accepted the login but did not say which user it is."""


@dataclass(frozen=True, slots=True)
class Account:
    """What the server told about the account while testing it."""

    user: UserConfig
    user_id: int

    @property
    def unique_id(self) -> str:
        """The unique id of this account's entry."""
        return account_id(self.user_id)


async def validate_account(hass: HomeAssistant, data: Mapping[str, Any]) -> Account:
    """Log in, open the CTI session and read the user's configuration.

    Raise UnidentifiedAccountError when the server sends no user id in time.
    """
    client = create_client(hass, data)
    received = asyncio.Event()
    user = UserConfig()

    def _collect(event: XucEvent) -> None:
        nonlocal user
        if isinstance(event, UserConfigUpdate):
            user = user.merge(event.config)
            received.set()

    client.subscribe(_collect)
    try:
        await client.connect()
        client.start()
        async with asyncio.timeout(ACCOUNT_WAIT):
            await received.wait()
    except TimeoutError:
        LOGGER.debug("%s did not send the user's configuration", client.base_url)
    finally:
        await client.stop()
    if user.user_id is None:
        raise UnidentifiedAccountError
    return Account(user=user, user_id=user.user_id)


def _normalize(user_input: dict[str, Any]) -> dict[str, Any]:
    data = dict(user_input)
    data[CONF_HOST] = data[CONF_HOST].strip()
    data[CONF_PORT] = int(data[CONF_PORT])
    if CONF_USERNAME in data:
        data[CONF_USERNAME] = data[CONF_USERNAME].strip()
    return data


class XucConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up a XuC account."""

    VERSION = VERSION

    async def _async_try(
        self, data: Mapping[str, Any], errors: dict[str, str]
    ) -> Account | None:
        """Test an account; fill `errors` and return None on failure."""
        try:
            return await validate_account(self.hass, data)
        except XucAuthenticationError:
            errors["base"] = "invalid_auth"
        except UnidentifiedAccountError:
            errors["base"] = "unidentified_account"
        except XucError as err:
            LOGGER.debug("Cannot connect: %s", err)
            errors["base"] = "cannot_connect"
        except Exception:  # noqa: BLE001
            LOGGER.exception("Unexpected error while testing the account")
            errors["base"] = "unknown"
        return None

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the server and the account."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data = _normalize(user_input)
            if account := await self._async_try(data, errors):
                await self.async_set_unique_id(account.unique_id)
                self._abort_if_unique_id_configured()
                return self.async_create_entry(
                    title=account.user.full_name or data[CONF_USERNAME],
                    data={**data, CONF_USER_ID: account.user_id},
                )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(
                USER_SCHEMA, _without_password(user_input)
            ),
            errors=errors,
        )

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """Start reauthentication after the server rejected the password."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the new password."""
        errors: dict[str, str] = {}
        entry = self._get_reauth_entry()
        if user_input is not None:
            data = {**entry.data, CONF_PASSWORD: user_input[CONF_PASSWORD]}
            if account := await self._async_try(data, errors):
                await self._async_check_account(entry, account)
                return self.async_update_reload_and_abort(
                    entry,
                    data_updates={CONF_PASSWORD: user_input[CONF_PASSWORD]},
                    reason="reauth_successful",
                )
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=REAUTH_SCHEMA,
            errors=errors,
            description_placeholders={
                CONF_USERNAME: entry.data[CONF_USERNAME],
                CONF_HOST: entry.data[CONF_HOST],
            },
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change how the server is reached, for the same account."""
        errors: dict[str, str] = {}
        entry = self._get_reconfigure_entry()
        if user_input is not None:
            server = _normalize(user_input)
            if account := await self._async_try({**entry.data, **server}, errors):
                await self._async_check_account(entry, account)
                return self.async_update_reload_and_abort(
                    entry, data_updates=server, reason="reconfigure_successful"
                )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                RECONFIGURE_SCHEMA, user_input or entry.data
            ),
            errors=errors,
        )

    async def _async_check_account(
        self, entry: XucConfigEntry, account: Account
    ) -> None:
        """Abort unless the server's user is the entry's.

        A version 1 entry takes the user's id first, unless another entry
        has it (or the entry stored another user's id).
        """
        if entry.version < VERSION:
            if entry.data.get(CONF_USER_ID) not in (None, account.user_id):
                raise AbortFlow("wrong_account")
            if not async_identify(self.hass, entry, account.user_id):
                raise AbortFlow("already_configured")
        await self.async_set_unique_id(account.unique_id)
        self._abort_if_unique_id_mismatch(reason="wrong_account")

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: XucConfigEntry) -> OptionsFlow:
        """Return the options flow."""
        return XucOptionsFlow()


class XucOptionsFlow(OptionsFlow):
    """Options: the phone number agents log in on."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the agent phone number."""
        errors: dict[str, str] = {}
        if user_input is not None:
            number = user_input.get(CONF_AGENT_PHONE_NUMBER, "").strip()
            if not number:
                return self.async_create_entry(data={})
            try:
                number = validate_phone_number(number)
            except ServiceValidationError:
                errors[CONF_AGENT_PHONE_NUMBER] = "invalid_phone_number"
            else:
                return self.async_create_entry(data={CONF_AGENT_PHONE_NUMBER: number})
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(
                OPTIONS_SCHEMA, user_input or self.config_entry.options
            ),
            errors=errors,
        )


def _without_password(user_input: dict[str, Any] | None) -> dict[str, Any] | None:
    if user_input is None:
        return None
    return {key: value for key, value in user_input.items() if key != CONF_PASSWORD}
