"""Tests of the protocol client, which import it as `aioxuc`.

They test the installed distribution when there is one (scripts/test-lib),
else the copy that the integration ships, loaded under the same name.
"""

import importlib.util
from pathlib import Path
import sys

SHIPPED = Path(__file__).parents[2] / "custom_components" / "xuc" / "aioxuc"

if importlib.util.find_spec("aioxuc") is None:
    _spec = importlib.util.spec_from_file_location(
        "aioxuc", SHIPPED / "__init__.py", submodule_search_locations=[str(SHIPPED)]
    )
    assert _spec is not None
    assert _spec.loader is not None
    sys.modules["aioxuc"] = _module = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_module)
