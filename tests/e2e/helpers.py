"""What the browser test's fixtures and test share."""

from dataclasses import dataclass
from pathlib import Path

from scripts import devenv

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = devenv.REPO / "artifacts" / "e2e"


@dataclass(frozen=True, slots=True)
class Stack:
    """The simulator and the onboarded Home Assistant (logged in as dev)."""

    sim: devenv.Simulator
    hass: devenv.HomeAssistant
