"""Fixtures shared by every test: the XuC simulator, Home Assistant's usage reports."""

from collections.abc import Generator
import logging
from unittest.mock import patch

from homeassistant.helpers import frame
import pytest

# The simulator's fixtures, shared with every suite.
from tests.loopback import FAST_BACKOFF, every_generation, loopback, simulator

__all__ = ["FAST_BACKOFF", "every_generation", "loopback", "simulator"]

# How Home Assistant words its reports of deprecated or wrong usage:
# helpers.frame.report_usage and helpers.deprecation.
USAGE_REPORTS = ("Detected that ", "Detected code that ", "The deprecated ")


def is_usage_report(logger: str, message: str) -> bool:
    """Whether a log record reports a deprecated or wrong usage."""
    return logger == frame.__name__ or message.startswith(USAGE_REPORTS)


class UsageReports(logging.Handler):
    """Collects what Home Assistant reports about the code's usage of its API."""

    def __init__(self) -> None:
        """Collect warnings and worse."""
        super().__init__(logging.WARNING)
        self.reports: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep a report, from the frame helper or worded like one."""
        message = record.getMessage()
        if is_usage_report(record.name, message):
            self.reports.append(message)


@pytest.fixture(autouse=True)
def fail_on_usage_reports() -> Generator[UsageReports]:
    """Fail a test when Home Assistant reports a deprecated or wrong usage.

    Home Assistant reports each place once per process: the memory of what it
    reported is emptied for every test, so that each test sees its own reports.
    """
    reports = UsageReports()
    root = logging.getLogger()
    root.addHandler(reports)
    try:
        with patch.object(frame, "_REPORTED_INTEGRATIONS", set()):
            yield reports
    finally:
        root.removeHandler(reports)
    if reports.reports:
        pytest.fail("Home Assistant reported:\n" + "\n".join(reports.reports))
