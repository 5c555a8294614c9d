"""Fixtures of the browser test: the simulator, a real Home Assistant, Chromium."""

from collections.abc import Generator, Iterator
from pathlib import Path
import re
import shutil
from urllib.parse import urlsplit

from playwright.sync_api import Page, Route, expect, sync_playwright
import pytest

from scripts import devenv
from tests.conftest import is_usage_report

from .helpers import ARTIFACTS, CHROMIUM, CardStack, SimulatorThread, Stack

# Known to work on these machines: no background network, no GPU, no sandbox (root).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
# The first line of a warning or worse in home-assistant.log:
# "<date> <time> <LEVEL> (<thread>) [<logger>] <message>".
LOG_RECORD = re.compile(
    r"^\S+ \S+ (?:WARNING|ERROR|CRITICAL) \(.*?\) \[([^\]]+)\] (.*)$"
)
# Generous for a loaded machine, short enough to fail well within CI's time.
TIMEOUT_MS = 30_000


@pytest.fixture
def stack(socket_enabled: None, tmp_path: Path) -> Iterator[Stack]:
    """A fresh Home Assistant with its owner account, and the XuC simulator."""
    with (
        devenv.simulator(0, tmp_path / "xuc-simulator.log") as sim,
        devenv.home_assistant(tmp_path / "config", devenv.free_port()) as hass,
    ):
        devenv.onboard(hass.api, devenv.DEV_USER)
        yield Stack(sim, hass)
    if reports := _usage_reports(hass.log):
        pytest.fail("Home Assistant reported:\n" + "\n".join(reports))


def _usage_reports(log: Path) -> list[str]:
    """What Home Assistant reported of deprecated or wrong usage in its log."""
    return [
        match.group(2)
        for line in log.read_text().splitlines()
        if (match := LOG_RECORD.match(line)) and is_usage_report(*match.groups())
    ]


@pytest.fixture
def card_stack(socket_enabled: None, tmp_path: Path) -> Iterator[CardStack]:
    """A simulator run by the test, and Home Assistant with an entry following it."""
    sim = SimulatorThread()
    try:
        with devenv.home_assistant(tmp_path / "config", devenv.free_port()) as hass:
            devenv.onboard(hass.api, devenv.DEV_USER)
            devenv.ensure_xuc_entry(hass.api, sim.sim.port, None)
            # Set up, so that the integration added the card to the frontend.
            (entry,) = hass.api.call("GET", f"{devenv.ENTRIES_PATH}?domain=xuc")
            devenv.wait_loaded(hass.api, entry["entry_id"])
            yield CardStack(sim, hass)
    finally:
        sim.close()


def _local_only(route: Route) -> None:
    """Let requests to 127.0.0.1 through; abort the others (brand icons...)."""
    if urlsplit(route.request.url).hostname == devenv.HOST:
        route.continue_()
    else:
        route.abort()


@pytest.fixture
def page(socket_enabled: None, tmp_path: Path) -> Iterator[Page]:
    """A page of headless Debian Chromium with a fresh profile."""
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tmp_path / "chromium",
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            viewport=VIEWPORT,
        )
        try:
            context.set_default_timeout(TIMEOUT_MS)
            context.route("**/*", _local_only)
            yield context.pages[0]
        finally:
            context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """On failure, keep a screenshot and the logs in artifacts/e2e/."""
    report = yield
    if report.when == "call" and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        if isinstance(page := item.funcargs.get("page"), Page):
            page.screenshot(path=ARTIFACTS / "failure.png")
        if isinstance(stack := item.funcargs.get("stack"), Stack):
            shutil.copy(stack.hass.log, ARTIFACTS / "home-assistant.log")
            shutil.copy(stack.sim.log, ARTIFACTS / "xuc-simulator.log")
        if isinstance(card_stack := item.funcargs.get("card_stack"), CardStack):
            shutil.copy(card_stack.hass.log, ARTIFACTS / "home-assistant.log")
    return report
