"""Call-event latency with a server that never answers directory lookups.

Each sample pushes an EventRinging from a number nobody named yet (so the
integration queues a lookup; the server answers none, so one is always
pending) and times the push until the call event's state is written. Runs
in one process on loopback, in the benchmark's harness (scripts/bench_harness.py).

Usage: .venv/bin/python -m scripts.call_latency [--calls N]
"""

import argparse
import asyncio
import sys
import time

from homeassistant.runner import HassEventLoopPolicy

from scripts.bench_harness import TIMEOUT, frame_text, open_harness
from scripts.bench_measure import StateWait, Summary

GAP = 0.01  # seconds between calls


async def measure(calls: int) -> tuple[Summary, float, int]:
    """Time `calls` unnamed ringing events: summary, slowest, lookups sent."""
    async with open_harness() as h:
        h.sim.config.lookup_commands = frozenset()
        entity_id = h.entity_id("call")
        caller_names = h.entry.runtime_data.session.caller_names
        samples = []
        for index in range(calls):
            caller_names.clear()  # keep asking, however many lookups went unanswered
            unique_id = f"latency.{index}"
            frame = frame_text(
                "PhoneEvent",
                {
                    "eventType": "EventRinging",
                    "otherDN": f"06{index:08d}",
                    "linkedId": unique_id,
                    "uniqueId": unique_id,
                },
            )
            wait = StateWait(
                h.hass,
                [entity_id],
                lambda uid=unique_id: (
                    (state := h.hass.states.get(entity_id)) is not None
                    and state.attributes.get("unique_id") == uid
                ),
            )
            start = time.monotonic()
            await h.push(h.ours, iter([frame]))
            samples.append(await wait.result(TIMEOUT) - start)
            await asyncio.sleep(GAP)
        lookups = [
            frame
            for frame in h.sim.commands(None)
            if frame.get("command") in ("directoryLookUp", "searchContacts")
        ]
        return Summary.of(samples), max(samples), len(lookups)


def main() -> int:
    """Run the measurement and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200, help="calls (default 200)")
    args = parser.parse_args()
    asyncio.set_event_loop_policy(HassEventLoopPolicy(debug=False))
    summary, slowest, lookups = asyncio.run(measure(args.calls))
    sys.stdout.write(
        f"{args.calls} ringing events; {lookups} lookups sent, none answered\n"
        f"frame -> call event state: median {summary.median * 1000:.2f} ms, "
        f"p99 {summary.p99 * 1000:.2f} ms, max {slowest * 1000:.2f} ms\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
