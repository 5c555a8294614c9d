"""Secrets never reach logs, exceptions or counters, at any log level."""

import logging

import pytest

from aioxuc import (
    ConnectionState,
    VoiceMailStatusUpdate,
    XucAuthenticationError,
    XucConnectionError,
    XucError,
    commands,
)
from tests.client.conftest import ClientFactory
from tests.client.recorder import Recorder
from tests.xuc_simulator import XucSimulator

PASSWORD = "Zq7#unique-PASS!word"


async def test_no_secret_in_logs_or_errors(
    simulator: XucSimulator,
    make_client: ClientFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A whole session at DEBUG, with reconnects and failures, leaks nothing."""
    caplog.set_level(logging.DEBUG)
    simulator.accounts["alice"].password = PASSWORD
    errors: list[XucError] = []
    client = make_client(password=PASSWORD)
    recorder = Recorder(client)
    await client.connect()
    client.start()
    await client.send(commands.dial("1001", {"note": PASSWORD}))
    await simulator.push(
        "LineConfig", {"name": "abcdef", "password": "sip-secret", "xivoIp": "10.0.0.1"}
    )
    await simulator.drop_connections()
    await recorder.wait_for_state(ConnectionState.CONNECTED, 2)
    simulator.expire_tokens()
    await simulator.drop_connections()
    await recorder.wait_for_state(ConnectionState.CONNECTED, 3)
    await simulator.push_raw(f'{{"broken": "{PASSWORD}"')
    await simulator.set_voicemail(9, 9)
    await recorder.wait_for(VoiceMailStatusUpdate, lambda e: e.new_messages == 9)
    simulator.config.cti_status = 502
    simulator.expire_tokens()
    await simulator.drop_connections()
    await recorder.wait_for_state(ConnectionState.DISCONNECTED, 3)
    simulator.config.cti_status = None
    await recorder.wait_for_state(ConnectionState.CONNECTED, 4)
    simulator.config.login_mode = "reject"
    for password in (PASSWORD, PASSWORD + "x"):
        try:
            await make_client(password=password).connect()
        except XucAuthenticationError as err:
            errors.append(err)

    secrets = [PASSWORD, "sip-secret", *simulator.issued_tokens]
    assert len(secrets) >= 5
    texts = [caplog.text, *map(str, errors), str(client.stats.as_dict())]
    texts += [record.getMessage() for record in caplog.records]
    for secret in secrets:
        for text in texts:
            assert secret not in text
    messages = [record.getMessage() for record in caplog.records]
    assert any(message.startswith("S>>> ") for message in messages)
    assert any(message.startswith("R<<< ") for message in messages)
    assert any(
        message.startswith("Opening ws://127.0.0.1:")
        and message.endswith("/xuc/api/2.0/cti?token=***")
        for message in messages
    )
    assert len(errors) == 2


async def test_upgrade_refused_by_a_proxy(
    simulator: XucSimulator, make_client: ClientFactory
) -> None:
    """A 502 on the websocket is a connection error with its status."""
    simulator.config.cti_status = 502
    with pytest.raises(XucConnectionError, match=r"refused the websocket \(HTTP 502\)"):
        await make_client().connect()
