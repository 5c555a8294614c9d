"""Run the XuC simulator and a real Home Assistant with this integration loaded.

``scripts/develop`` runs :func:`main`; the browser test (tests/e2e) reuses the
building blocks: :func:`simulator`, :func:`home_assistant`, :func:`onboard`
(which also logs in), :func:`ensure_xuc_entry` and :func:`xuc_page`. Everything
talks to 127.0.0.1 only.
"""

import argparse
import asyncio
from collections.abc import Iterator
import contextlib
import ctypes
from dataclasses import dataclass
import http.client
import importlib.metadata
import json
import os
from pathlib import Path
import re
import select
import signal
import socket
import subprocess
import sys
import time
from typing import Any
from urllib.parse import urlencode

import aiohttp

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SIMULATOR_PORT = 8090
HASS_PORT = 8123
DOMAIN = "xuc"
CONFIG_DIR = REPO / "config"
# In CONFIG_DIR: the simulator's port at the last run of main().
STATE_FILE = "devenv.json"
# Set by scripts/develop: when it started (Unix time), before setting up .venv.
STARTED_VARIABLE = "XUC_DEVELOP_STARTED"
ENTRIES_PATH = "/api/config/config_entries/entry"
# The device of the phone status sensor: the user's, not a queue's.
USER_DEVICE_TEMPLATE = (
    "{{ integration_entities('xuc') | select('search', '_phone_status$')"
    " | map('device_id') | first }}"
)
SIMULATOR_START_TIMEOUT = 30.0
HASS_START_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0
ENTRY_LOAD_TIMEOUT = 30.0

CONFIGURATION_YAML = """\
# Written by scripts/devenv.py: a minimal Home Assistant that needs no network
# (no default_config: it pulls cloud, bluetooth, zeroconf...).
homeassistant:
  name: XuC development
  country: FR  # else a repair asks for it
http:
  server_host: {host}
  server_port: {port}
# What the example dashboard's cards need: the call log and the history graph.
logbook:
history:
"""
# Added to a configuration written by an older version of this script.
DASHBOARD_INTEGRATIONS = ("logbook", "history")
# Home Assistant's own installer must keep the pycares of the venv: 4.x beside
# 2025.4's aiodns (see requirements_test.txt), 5.x beside 2026.x's. uv reads
# this file through UV_OVERRIDE.
UV_OVERRIDE = f"pycares=={importlib.metadata.version('pycares')}\n"
# The onboarding steps after the owner account, marked done before the first
# start: finishing `core_config` over HTTP would add google_translate, met,
# radio_browser and shopping_list entries, which install packages and need the
# network. Format of homeassistant.components.onboarding's store (version 4).
ONBOARDING_STORE = {
    "version": 4,
    "minor_version": 1,
    "key": "onboarding",
    "data": {"done": ["core_config", "analytics", "integration"]},
}
# prctl() option: the signal a process gets when its parent dies.
PR_SET_PDEATHSIG = 1
# Loaded before any fork: the child only calls into it.
LIBC = ctypes.CDLL(None)


@dataclass(frozen=True, slots=True)
class Person:
    """A Home Assistant user."""

    name: str
    username: str
    password: str


# The documented development login.
DEV_USER = Person(name="Developer", username="dev", password="dev-password")  # noqa: S106
XUC_ACCOUNT = {"username": "alice", "password": "secret"}


class HassError(Exception):
    """Home Assistant answered an HTTP request with an error status."""

    def __init__(self, method: str, path: str, status: int) -> None:
        """Describe the request, never its body (it may hold secrets)."""
        super().__init__(f"{method} {path} answered HTTP {status}")
        self.status = status


class HassApi:
    """A small client of Home Assistant's REST API on 127.0.0.1."""

    def __init__(self, port: int) -> None:
        """Talk to the Home Assistant listening on `port`."""
        self.port = port
        self.url = f"http://{HOST}:{port}"
        self.client_id = f"{self.url}/"
        self.token: str | None = None
        # The whole answer of the last login: access and refresh token, lifetime.
        self.tokens: dict[str, Any] = {}

    def call(
        self, method: str, path: str, body: dict[str, Any] | None = None, **form: str
    ) -> Any:
        """Send a JSON `body` (or a form); return the answer, decoded if JSON."""
        headers = {}
        payload = None
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if form:
            payload = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            payload = json.dumps(body)
            headers["Content-Type"] = "application/json"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            connection.request(method, path, payload, headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        if response.status >= 400:
            raise HassError(method, path, response.status)
        if response.getheader("Content-Type", "").startswith("application/json"):
            return json.loads(text)
        return text

    def is_up(self) -> bool:
        """Whether the HTTP server answers (at the end of Home Assistant's start)."""
        try:
            self.call("GET", "/manifest.json")
        except HassError:
            return True
        except OSError:
            return False
        return True


@dataclass(slots=True)
class Simulator:
    """The XuC simulator process and the port it listens on."""

    process: subprocess.Popen[str]
    port: int
    log: Path

    @property
    def url(self) -> str:
        """Base URL of the simulator."""
        return f"http://{HOST}:{self.port}"


@dataclass(slots=True)
class HomeAssistant:
    """A Home Assistant process, its configuration and its API."""

    process: subprocess.Popen[bytes]
    config_dir: Path
    api: HassApi

    @property
    def log(self) -> Path:
        """Home Assistant's log file."""
        return self.config_dir / "home-assistant.log"


def port_is_free(port: int) -> bool:
    """Whether `port` can be bound on 127.0.0.1."""
    with socket.socket() as probe:
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port on 127.0.0.1 that is free now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
    return port


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the parent dies, even by SIGKILL."""
    LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _spawn(
    args: list[str], *, cwd: Path, env: dict[str, str] | None = None, **kwargs: Any
) -> subprocess.Popen[Any]:
    """Run our interpreter in its own session (a terminal's Ctrl-C reaches us only).

    The child gets our environment and `env`, less what would slow it down:
    PYTHONDONTWRITEBYTECODE (cached bytecode makes Home Assistant start seconds
    faster) and pytest-cov's COV_CORE_* (they would measure it with settings
    that do not apply in its directory).
    """
    child_env = {
        name: value
        for name, value in os.environ.items()
        if name != "PYTHONDONTWRITEBYTECODE" and not name.startswith("COV_CORE_")
    }
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args],
        cwd=cwd,
        env=child_env | (env or {}),
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_die_with_parent,  # noqa: PLW1509 - it only calls prctl()
        **kwargs,
    )


def stop(process: subprocess.Popen[Any]) -> None:
    """Stop a child with one SIGTERM; kill it on timeout or a second Ctrl-C."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            process.kill()
            process.wait()
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def _read_line(process: subprocess.Popen[str], timeout: float) -> str:
    """The child's next line of output, or '' if it ends or times out."""
    assert process.stdout is not None  # noqa: S101 - started with stdout=PIPE
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    return process.stdout.readline() if ready else ""


@contextlib.contextmanager
def simulator(port: int, log: Path) -> Iterator[Simulator]:
    """Run the XuC simulator with the demo account and scenario on `port`.

    Port 0 lets the simulator pick one. Its messages go to `log`.
    """
    with log.open("w") as log_file:
        process = _spawn(
            [
                *("-m", "tests.xuc_simulator", "--scenario", "demo"),
                *("--host", HOST, "--port", str(port)),
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=log_file,
            text=True,
        )
    try:
        line = _read_line(process, SIMULATOR_START_TIMEOUT)
        if not (match := re.search(r"ready on http://[^:]+:(\d+)", line)):
            msg = f"the XuC simulator did not start; see {log}"
            raise RuntimeError(msg)
        yield Simulator(process, int(match.group(1)), log)
    finally:
        stop(process)


def prepare_config(config_dir: Path, port: int) -> None:
    """Create or refresh a configuration directory that loads this integration."""
    custom = config_dir / "custom_components"
    custom.mkdir(parents=True, exist_ok=True)
    link = custom / DOMAIN
    link.unlink(missing_ok=True)
    link.symlink_to(REPO / "custom_components" / DOMAIN, target_is_directory=True)
    configuration = config_dir / "configuration.yaml"
    if not configuration.exists():
        configuration.write_text(CONFIGURATION_YAML.format(host=HOST, port=port))
    else:
        text = configuration.read_text()
        missing = [
            name
            for name in DASHBOARD_INTEGRATIONS
            if not re.search(rf"^{name}:", text, re.MULTILINE)
        ]
        if missing:
            configuration.write_text(
                text.rstrip("\n") + "\n" + "".join(f"{name}:\n" for name in missing)
            )
    (config_dir / "uv-override.txt").write_text(UV_OVERRIDE)
    storage = config_dir / ".storage"
    if not storage.exists():
        storage.mkdir()
        (storage / "onboarding").write_text(json.dumps(ONBOARDING_STORE))


@contextlib.contextmanager
def home_assistant(config_dir: Path, port: int) -> Iterator[HomeAssistant]:
    """Run `hass -c config_dir` on 127.0.0.1:`port` until its HTTP API answers.

    Home Assistant writes its messages to home-assistant.log in `config_dir`.
    """
    prepare_config(config_dir, port)
    process = _spawn(
        ["-m", "homeassistant", "--config", str(config_dir)],
        cwd=config_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"UV_OVERRIDE": str(config_dir / "uv-override.txt")},
    )
    hass = HomeAssistant(process, config_dir, HassApi(port))
    try:
        deadline = time.monotonic() + HASS_START_TIMEOUT
        while not hass.api.is_up():
            if process.poll() is not None or time.monotonic() > deadline:
                msg = f"Home Assistant did not start; see {hass.log}"
                raise RuntimeError(msg)
            time.sleep(0.2)
        yield hass
    finally:
        stop(process)


def _create_owner(api: HassApi, person: Person) -> bool:
    """Create the owner account unless there is one; return whether it did."""
    try:
        steps = api.call("GET", "/api/onboarding")
    except HassError as err:
        if err.status == 404:  # onboarding is over
            return False
        raise
    if any(step["step"] == "user" and step["done"] for step in steps):
        return False
    api.call(
        "POST",
        "/api/onboarding/users",
        {
            "client_id": api.client_id,
            "name": person.name,
            "username": person.username,
            "password": person.password,
            "language": "en",
        },
    )
    return True


def _login(api: HassApi, person: Person) -> None:
    """Log in through the login flow, as the frontend does; keep the token."""
    flow = api.call(
        "POST",
        "/auth/login_flow",
        {
            "client_id": api.client_id,
            "handler": ["homeassistant", None],
            "redirect_uri": api.client_id,
        },
    )
    result = api.call(
        "POST",
        f"/auth/login_flow/{flow['flow_id']}",
        {
            "client_id": api.client_id,
            "username": person.username,
            "password": person.password,
        },
    )
    if result["type"] != "create_entry":
        msg = f"Home Assistant refused the login of {person.username}"
        raise RuntimeError(msg)
    tokens = api.call(
        "POST",
        "/auth/token",
        grant_type="authorization_code",
        code=result["result"],
        client_id=api.client_id,
    )
    api.tokens = tokens
    api.token = tokens["access_token"]


async def _websocket_command(api: HassApi, command: dict[str, Any]) -> Any:
    """Send one command over the websocket API; return its answer."""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"{api.url}/api/websocket") as websocket,
    ):
        await websocket.receive_json()  # auth_required
        await websocket.send_json({"type": "auth", "access_token": api.token})
        await websocket.receive_json()  # auth_ok
        await websocket.send_json({"id": 1, **command})
        return await websocket.receive_json()


def _confirm_http_config(api: HassApi) -> None:
    """Keep the configuration.yaml's HTTP settings, as an admin confirms them.

    From 2026.x on, Home Assistant holds new HTTP settings as pending, asks an
    admin to confirm them in a modal and reverts them after 5 minutes; older
    releases do not know the `http/config` command.
    """
    answer = asyncio.run(_websocket_command(api, {"type": "http/config"}))
    pending = answer["result"]["pending"] if answer["success"] else None
    if pending and pending.get("error") is None:
        answer = asyncio.run(_websocket_command(api, {"type": "http/config/promote"}))
        if not answer["success"]:
            msg = f"Home Assistant kept its HTTP settings pending: {answer['error']}"
            raise RuntimeError(msg)


def onboard(api: HassApi, person: Person) -> None:
    """Make `person` the owner of a new instance, then log in as `person`."""
    created = _create_owner(api, person)
    _login(api, person)
    _confirm_http_config(api)
    if created:
        # Left behind by the Backup entry that the first start creates.
        api.call(
            "POST",
            "/api/services/persistent_notification/dismiss",
            {"notification_id": "config_entry_discovery"},
        )


def _run_flow(api: HassApi, start: dict[str, Any], data: dict[str, Any]) -> Any:
    """Start a config flow, answer its form with `data`, return the outcome."""
    flow = api.call("POST", "/api/config/config_entries/flow", start)
    path = f"/api/config/config_entries/flow/{flow['flow_id']}"
    result = api.call("POST", path, data)
    if result["type"] == "form":  # refused: do not leave the flow open
        api.call("DELETE", path)
    return result


def wait_loaded(api: HassApi, entry_id: str) -> None:
    """Wait until an entry (new or reloading) is set up."""
    deadline = time.monotonic() + ENTRY_LOAD_TIMEOUT
    while time.monotonic() < deadline:
        entries = api.call("GET", f"{ENTRIES_PATH}?domain={DOMAIN}")
        if any(e["entry_id"] == entry_id and e["state"] == "loaded" for e in entries):
            return
        time.sleep(0.2)
    msg = f"the XuC entry did not load within {ENTRY_LOAD_TIMEOUT:.0f} s"
    raise RuntimeError(msg)


def ensure_xuc_entry(api: HassApi, port: int, previous_port: int | None) -> str:
    """Make sure one entry follows the simulator's demo account on `port`.

    When the simulator listened on another port at the last run, the entry that
    followed it is moved to `port` (reconfigured) rather than duplicated.
    Returns "created", "kept" (it was there) or "moved".
    """
    server = {"host": HOST, "port": port, "ssl": False, "verify_ssl": True}
    if previous_port not in (None, port):
        for entry in api.call("GET", f"{ENTRIES_PATH}?domain={DOMAIN}"):
            start = {"handler": DOMAIN, "entry_id": entry["entry_id"]}
            result = _run_flow(api, start, server)
            if result.get("reason") == "reconfigure_successful":
                wait_loaded(api, entry["entry_id"])
                return "moved"
    result = _run_flow(api, {"handler": DOMAIN}, server | XUC_ACCOUNT)
    if result["type"] == "create_entry":
        return "created"
    if result.get("reason") == "already_configured":
        return "kept"
    msg = f"the XuC config flow failed: {result.get('errors') or result}"
    raise RuntimeError(msg)


def xuc_page(api: HassApi) -> str:
    """Path of the frontend page of the XuC user's device, else of the integration."""
    device_id = api.call("POST", "/api/template", {"template": USER_DEVICE_TEMPLATE})
    if device_id:
        return f"/config/devices/device/{device_id}"
    return f"/config/integrations/integration/{DOMAIN}"


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/develop",
        description=(
            "Set up .venv, then run the XuC simulator (demo account and scenario, "
            f"port {SIMULATOR_PORT} or a free one) and a real Home Assistant on "
            f"http://{HOST}:{HASS_PORT}/ with config/ as its configuration "
            "directory and this integration loaded. The first run creates the user "
            f"{DEV_USER.username!r} (password {DEV_USER.password!r}) and a XiVO XuC "
            "entry for the simulator; later runs reuse them. Ctrl-C stops "
            "everything. Delete config/ to start over."
        ),
    )
    parser.add_argument(
        "--no-simulator",
        action="store_true",
        help="start Home Assistant alone, to add a real XuC server in its UI",
    )
    return parser.parse_args(argv)


def _watch(*processes: subprocess.Popen[Any]) -> None:
    """Return when one of the processes ends."""
    while all(process.poll() is None for process in processes):
        time.sleep(0.5)


def _start(
    stack: contextlib.ExitStack[None], *, with_simulator: bool
) -> tuple[list[subprocess.Popen[Any]], list[str]]:
    """Start what main() runs; return the processes and the banner's lines."""
    CONFIG_DIR.mkdir(exist_ok=True)
    sim = None
    if with_simulator:
        port = SIMULATOR_PORT if port_is_free(SIMULATOR_PORT) else 0
        sim = stack.enter_context(simulator(port, CONFIG_DIR / "xuc-simulator.log"))
    if (CONFIG_DIR / ".storage").exists():
        print("Starting Home Assistant (about 5 s)...")
    else:
        print(
            "Starting Home Assistant in a new config/ folder, then creating the "
            "user and the XuC entry (about 20 s)..."
        )
    hass = stack.enter_context(home_assistant(CONFIG_DIR, HASS_PORT))
    onboard(hass.api, DEV_USER)
    lines = [
        f"Home Assistant: {hass.api.client_id}",
        f"  user {DEV_USER.username} / password {DEV_USER.password}",
        f"  log {hass.log.relative_to(REPO)}",
    ]
    if sim is None:
        return [hass.process], lines
    state = CONFIG_DIR / STATE_FILE
    previous = (
        json.loads(state.read_text())["simulator_port"] if state.exists() else None
    )
    outcome = ensure_xuc_entry(hass.api, sim.port, previous)
    state.write_text(json.dumps({"simulator_port": sim.port}))
    lines += [
        f"XuC device:     {hass.api.url}{xuc_page(hass.api)} (entry {outcome})",
        f"XuC simulator:  {sim.url}, demo scenario",
        f"  account {XUC_ACCOUNT['username']} / {XUC_ACCOUNT['password']}",
        f"  log {sim.log.relative_to(REPO)}",
    ]
    return [sim.process, hass.process], lines


def _started() -> float:
    """Unix time at which scripts/develop started, or now when run directly."""
    try:
        return float(os.environ[STARTED_VARIABLE])
    except (KeyError, ValueError):
        return time.time()


def main(argv: list[str] | None = None) -> int:
    """Run the development environment until Ctrl-C; return the exit status."""
    args = _parse_args(argv)
    # Ctrl-C and SIGTERM stop the children, even when started by a shell that
    # ignores SIGINT in background jobs.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.default_int_handler)
    if not port_is_free(HASS_PORT):
        print(f"{HOST}:{HASS_PORT} is in use: is Home Assistant already running?")
        return 1
    started = _started()
    try:
        with contextlib.ExitStack() as stack:
            processes, lines = _start(stack, with_simulator=not args.no_simulator)
            print(
                f"\nReady in {time.time() - started:.0f} s.",
                *lines,
                "Press Ctrl-C to stop.",
                sep="\n",
                flush=True,
            )
            _watch(*processes)
    except KeyboardInterrupt:
        print("\nStopped.")
        return 0
    except (HassError, RuntimeError) as err:
        print(f"Error: {err}")
        return 1
    print("A process ended by itself: stopped the others.")
    return 1


if __name__ == "__main__":
    sys.exit(main())
