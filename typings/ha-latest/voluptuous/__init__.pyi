# Types of `voluptuous` for mypy on the newest end (scripts/test --ha latest):
# from Home Assistant 2026.9 on, importing homeassistant makes `voluptuous`
# an alias of probatio, and Home Assistant's signatures name probatio's types.
from probatio import *  # noqa: F403 - the whole voluptuous-compatible surface
