"""The usage example of the library's README works as written."""

import re

import pytest

from tests.client import SHIPPED
from tests.xuc_simulator import XucSimulator


def readme_example() -> str:
    """The README's Python example, the only one it has."""
    readme = (SHIPPED / "README.md").read_text()
    (example,) = re.findall(r"```python\n(.*?)```", readme, re.DOTALL)
    return example


async def test_readme_example_dials_and_hangs_up(
    simulator: XucSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    """The example's call() dials, sees the line calling, hangs up and stops."""
    namespace: dict[str, object] = {"__name__": "readme"}
    exec(readme_example(), namespace)  # noqa: S102 (the README's own code)
    call = namespace["call"]
    assert callable(call)

    await call("127.0.0.1", "alice", "secret", "1002", port=simulator.port)

    dial = await simulator.wait_for_command("dial")
    assert dial["destination"] == "1002"
    await simulator.wait_for_command("hangup")
    assert "line: calling" in capsys.readouterr().out.splitlines()
