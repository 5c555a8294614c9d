"""Queues the user can see and their latest statistics."""

from dataclasses import dataclass, field
from typing import NamedTuple

from .events import QueueStatistics
from .models import Queue


class QueueChange(NamedTuple):
    """What a statistics update changed in one queue."""

    queue_id: int
    values_changed: bool
    new_counters: bool


@dataclass(slots=True)
class QueueBoard:
    """Queues by id, with the counters the server reported for each."""

    queues: dict[int, Queue] = field(default_factory=dict)
    counters: dict[int, dict[str, float]] = field(default_factory=dict)

    def replace(self, queues: tuple[Queue, ...]) -> set[int]:
        """Take a new list of queues; return the ids that disappeared."""
        gone = set(self.queues) - {queue.queue_id for queue in queues}
        self.queues = {queue.queue_id: queue for queue in queues}
        for queue_id in gone:
            self.counters.pop(queue_id, None)
        return gone

    def update(self, queue: Queue) -> None:
        """Add or change one queue."""
        self.queues[queue.queue_id] = queue

    def apply(self, event: QueueStatistics) -> QueueChange | None:
        """Merge counters into their queue; None for a queue that is not listed."""
        queue_id = event.queue_id
        if queue_id is None:
            queue_id = next(
                (
                    queue.queue_id
                    for queue in self.queues.values()
                    if queue.name == event.queue_ref
                ),
                None,
            )
        if queue_id not in self.queues:
            return None
        counters = self.counters.get(queue_id, {})
        merged = {**counters, **event.counters}
        self.counters[queue_id] = merged
        return QueueChange(queue_id, merged != counters, len(merged) > len(counters))
