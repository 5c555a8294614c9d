"""Run the simulator standalone: ``python -m tests.xuc_simulator --help``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

from .accounts import demo_account
from .config import SimulatorConfig
from .generations import GENERATIONS
from .scenario import run_demo
from .server import XucSimulator


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.xuc_simulator",
        description=(
            "Simulated XiVO XuC CTI server (REST login under /xuc/api/2.0/auth and "
            "the CTI websocket /xuc/api/2.0/cti) serving one demo user: Alice Johnson, "
            "line 1000, agent 12, queues bluesky (3) and greenfield (4). Prints one "
            "line containing 'ready' once it accepts connections; stops on SIGINT or "
            "SIGTERM."
        ),
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
    )
    parser.add_argument(
        "--port",
        type=int,
        default=8090,
        help="port, 0 picks one (default: %(default)s)",
    )
    parser.add_argument(
        "--scenario",
        choices=("none", "demo"),
        default="none",
        help="'demo': every ~25 s a call rings, is answered and released, a "
        "voicemail arrives, the agent pauses and resumes, queue statistics move; "
        "a call the user dials is answered after 3 s and ends 8 s later "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--username", default="alice", help="demo login (default: %(default)s)"
    )
    parser.add_argument(
        "--password", default="secret", help="demo password (default: %(default)s)"
    )
    parser.add_argument(
        "--phone-status-encoding",
        choices=("name", "code"),
        default="name",
        help="PhoneStatusUpdate status as a name (AVAILABLE) or a numeric code (0) "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--generation",
        choices=sorted(GENERATIONS),
        default="nextlts",
        help="server generation: lookup commands answered, UsersStatuses or "
        "CtiStatuses, queue counters, callDirection (default: %(default)s)",
    )
    parser.add_argument(
        "--token-ttl",
        type=float,
        default=3600.0,
        help="token lifetime in seconds (default: %(default)s)",
    )
    parser.add_argument("--verbose", action="store_true", help="log at DEBUG level")
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace) -> None:
    config = SimulatorConfig(
        generation=args.generation,
        token_ttl=args.token_ttl,
        phone_status_encoding=args.phone_status_encoding,
    )
    account = demo_account(args.username, args.password)
    sim = XucSimulator(args.host, args.port, config, [account])
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await sim.start()
    scenario = (
        asyncio.create_task(run_demo(sim, account.username))
        if args.scenario == "demo"
        else None
    )
    sys.stdout.write(
        f"XuC simulator ready on {sim.base_url} "
        f"(user {account.username} / password {account.password})\n"
    )
    sys.stdout.flush()
    try:
        await stop.wait()
    finally:
        if scenario is not None:
            scenario.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await scenario
        await sim.stop()


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = _parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    asyncio.run(_serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
