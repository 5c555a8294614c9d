"""Run every fuzz target of tests/fuzz_strategies.py with a large hypothesis budget.

The budget (--examples, in total) is shared evenly by the targets. The run
fails (exit 1) as soon as one example breaks a property; hypothesis then
prints the smallest example it found.
"""

import argparse
from dataclasses import asdict, dataclass
import json
from pathlib import Path
import sys
import time

from hypothesis import HealthCheck, given, seed, settings

from tests.fuzz_strategies import TARGETS, Target


@dataclass
class Outcome:
    """What one target's run gave."""

    target: str
    examples: int
    seconds: float
    failure: str | None


def fuzz(name: str, target: Target, examples: int, rng_seed: int | None) -> Outcome:
    """Run one target for `examples` examples (or until a property breaks)."""
    ran = 0

    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(target.strategy)
    def run(example: object) -> None:
        nonlocal ran
        ran += 1
        target.check(example)

    if rng_seed is not None:
        run = seed(rng_seed)(run)
    started = time.perf_counter()
    failure = None
    try:
        run()
    except Exception as err:  # noqa: BLE001 - every escaping exception is a finding
        notes = "\n".join(getattr(err, "__notes__", ()))
        failure = f"{type(err).__name__}: {err}\n{notes}"
    return Outcome(name, ran, time.perf_counter() - started, failure)


def main() -> int:
    """Fuzz every target, print a table, return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=100_000, help="in total")
    parser.add_argument("--seed", type=int, help="hypothesis seed, for a replay")
    parser.add_argument("--json", type=Path, help="write the figures there")
    args = parser.parse_args()
    per_target = -(-args.examples // len(TARGETS))
    outcomes = []
    for name, target in TARGETS.items():
        outcome = fuzz(name, target, per_target, args.seed)
        outcomes.append(outcome)
        status = "ok" if outcome.failure is None else f"FAILED: {outcome.failure}"
        print(
            f"{name:40} {outcome.examples:>8} examples {outcome.seconds:7.1f} s  "
            f"{status}",
            flush=True,
        )
    total = sum(outcome.examples for outcome in outcomes)
    seconds = sum(outcome.seconds for outcome in outcomes)
    failures = [outcome for outcome in outcomes if outcome.failure]
    print(f"{'total':40} {total:>8} examples {seconds:7.1f} s  {len(failures)} failed")
    if args.json:
        args.json.write_text(
            json.dumps([asdict(outcome) for outcome in outcomes], indent=2)
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
