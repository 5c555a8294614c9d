"""Counters describing a client's life, for diagnostics."""

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(slots=True)
class XucStats:
    """What happened since the client was created."""

    sessions: int = 0
    failed_attempts: int = 0
    frames_received: int = 0
    frames_sent: int = 0
    unparsed_frames: int = 0
    unknown_frames: int = 0
    listener_errors: int = 0
    server_errors: int = 0
    last_error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the counters as a plain dictionary."""
        return asdict(self)
