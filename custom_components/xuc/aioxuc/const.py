"""Protocol constants and client defaults."""

from typing import Final

DEFAULT_PORT: Final = 8090
API_PREFIX: Final = "/xuc/api/2.0"
LOGIN_PATH: Final = f"{API_PREFIX}/auth/login"
CHECK_PATH: Final = f"{API_PREFIX}/auth/check"
CTI_PATH: Final = f"{API_PREFIX}/cti"

# XuC's own client pings every 5 s and gives up after 3 intervals of silence.
HEARTBEAT_INTERVAL: Final = 5.0
MISSED_HEARTBEATS: Final = 3

HTTP_TIMEOUT: Final = 10.0
# The server gives up on a session that is not logged on after 10 s.
LOGGED_ON_TIMEOUT: Final = 15.0

BACKOFF_INITIAL: Final = 1.0
BACKOFF_MAX: Final = 180.0
# A link must stay up this long before the back-off starts again from scratch.
BACKOFF_RESET_AFTER: Final = 60.0

# Server throttle: 90 messages per 30 s with a burst of 180, pings included.
THROTTLE_RATE: Final = 90 / 30
THROTTLE_BURST: Final = 180
# Kept below the server's burst so network jitter cannot tip it over.
THROTTLE_SAFETY_MARGIN: Final = 10
# Room kept for heartbeats: commands never take the last few tokens.
THROTTLE_PING_RESERVE: Final = 5
THROTTLE_MAX_WAIT: Final = 10.0
THROTTLE_ERROR_TEXT: Final = "Maximum throttle throughput exceeded."

# aiohttp refuses frames above this size and fails the connection.
MAX_FRAME_SIZE: Final = 8 * 1024 * 1024
