"""The protocol reference files the tests compare against.

The team's shared copy (../shared/protocol) wins when it is checked out next
to the repository; tests/fixtures holds a verbatim copy for other machines.
"""

from pathlib import Path
from typing import Any

import orjson

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).parents[2] / "shared" / "protocol"


def protocol_file(name: str) -> Path:
    """Return the path of a protocol reference file."""
    shared = SHARED / name
    return shared if shared.is_file() else FIXTURES / name


def load_protocol_file(name: str) -> Any:
    """Return the decoded content of a protocol reference file."""
    return orjson.loads(protocol_file(name).read_bytes())
