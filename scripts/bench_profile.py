"""`scripts/bench --profile`: our side of the throughput scenario under pyinstrument.

The whole event loop is sampled (async mode off), so the report first says what
the loop was running, then where the integration's share of the time goes.
"""

from collections import defaultdict
from collections.abc import Iterable
import importlib.util
from pathlib import Path
import sys
from typing import TYPE_CHECKING

from scripts.bench_harness import Harness

if TYPE_CHECKING:
    from pyinstrument.session import Session

INTERVAL = 0.0005
TOP = 15
ROOT = Path(__file__).resolve().parent.parent
INTEGRATION = f"{ROOT}/custom_components/xuc/"
# Where a frame's code lives, first match wins.
COMPONENTS = (
    (f"{INTEGRATION}aioxuc/", "integration: aioxuc client"),
    (INTEGRATION, "integration: hub and entities"),
    ("/homeassistant/", "Home Assistant core"),
    ("/aiohttp/", "aiohttp"),
    ("/tests/xuc_simulator/", "simulator"),
    (f"{ROOT}/scripts/", "benchmark"),
    ("/asyncio/", "asyncio"),
)
OTHER = "other (stdlib, yarl, propcache...)"
LOOP = "the event loop itself: select (idle) and scheduling"
MISSING = (
    "--profile needs pyinstrument, which is not a test requirement; install it with\n"
    "  .venv/bin/uv pip install --python .venv/bin/python pyinstrument==5.1.3"
)

type FrameId = tuple[str, str, str]  # function, file, line


def available() -> bool:
    """Whether pyinstrument is installed."""
    return importlib.util.find_spec("pyinstrument") is not None


async def profile_throughput(h: Harness, events: int) -> None:
    """Profile our side of the throughput scenario and print where time goes."""
    from pyinstrument import Profiler

    await h.stream(h.ours, events // 10)  # warm-up
    profiler = Profiler(interval=INTERVAL, async_mode="disabled")
    profiler.start()
    elapsed, frames = await h.stream(h.ours, events)
    session = profiler.stop()
    print(
        f"Profile of our side of the throughput scenario: {frames:,} frames in "
        f"{elapsed:.2f} s ({frames / elapsed:,.0f}/s, slowed down by the profiler)"
    )
    _report(session)


def _frame_id(frame_info: str) -> FrameId:
    function, file, line = frame_info.partition("\x01")[0].split("\x00")
    return function, file, line


def _component(frames: list[FrameId]) -> str:
    """Component of the leaf; built-ins count for the code that called them."""
    file = next((f for _, f, _ in reversed(frames) if f.startswith("/")), "")
    return next((name for prefix, name in COMPONENTS if prefix in file), OTHER)


def _entry_point(frames: list[FrameId]) -> FrameId | None:
    """What the loop was running: the callback or task below `Handle._run`."""
    for index, (function, file, _) in enumerate(frames[:-1]):
        if function == "_run" and file.endswith("asyncio/events.py"):
            return frames[index + 1]
    return None


def _report(session: "Session") -> None:
    total = session.duration
    entry_points: defaultdict[FrameId | None, float] = defaultdict(float)
    components: defaultdict[str, float] = defaultdict(float)
    inclusive: defaultdict[FrameId, float] = defaultdict(float)
    leaves: defaultdict[FrameId, float] = defaultdict(float)
    for stack, seconds in session.frame_records:
        frames = [_frame_id(info) for info in stack]
        entry_points[_entry_point(frames)] += seconds
        ours = {frame for frame in frames if frame[1].startswith(INTEGRATION)}
        if not ours:
            continue
        components[_component(frames)] += seconds
        leaves[frames[-1]] += seconds
        for frame in ours:
            inclusive[frame] += seconds
    _table(
        "What the event loop was running (inclusive time; the benchmark's own task"
        " pushes the frames on the simulator's socket)",
        (
            (f"[{_component([f])}] {_describe(f)}" if f else LOOP, s)
            for f, s in _top(entry_points)
        ),
        total,
    )
    _table(
        f"Integration path ({sum(components.values()) / total:.0%} of the time):"
        " self time by component",
        _top(components),
        total,
    )
    _table(
        "Integration path: integration functions, inclusive time",
        ((_describe(f), s) for f, s in _top(inclusive)),
        total,
    )
    _table(
        "Integration path: hottest functions, self time",
        ((_describe(f), s) for f, s in _top(leaves)),
        total,
    )


def _top[K](seconds: dict[K, float]) -> list[tuple[K, float]]:
    return sorted(seconds.items(), key=lambda item: item[1], reverse=True)[:TOP]


def _describe(frame: FrameId) -> str:
    function, file, line = frame
    path = Path(file)
    if path.is_relative_to(ROOT):
        return f"{function}  {path.relative_to(ROOT)}:{line}"
    for prefix in sorted(sys.path, key=len, reverse=True):
        if prefix and path.is_relative_to(prefix):
            return f"{function}  {path.relative_to(prefix)}:{line}"
    return f"{function}  {file}"


def _table(title: str, rows: Iterable[tuple[str, float]], total: float) -> None:
    print(f"\n{title}:")
    for name, seconds in rows:
        print(f"  {100 * seconds / total:5.1f}%  {seconds * 1e3:8.1f} ms  {name}")
