"""The suite fails on what Home Assistant reports about the integration's code."""

import logging

from homeassistant.core import HomeAssistant
from homeassistant.helpers import frame
from homeassistant.loader import async_get_integration

from custom_components.xuc.const import DOMAIN
from tests.conftest import UsageReports


async def test_a_report_on_the_integration_is_caught(
    hass: HomeAssistant, fail_on_usage_reports: UsageReports
) -> None:
    """A deprecation reported against xuc is kept; an ordinary warning is not."""
    await async_get_integration(hass, DOMAIN)
    frame.report_usage("calls a retired helper", integration_domain=DOMAIN)
    logging.getLogger(__name__).warning("A warning that reports nothing")
    assert [report.split(". ")[0] for report in fail_on_usage_reports.reports] == [
        "Detected that custom integration 'xuc' calls a retired helper"
    ]
    fail_on_usage_reports.reports.clear()  # reported on purpose
