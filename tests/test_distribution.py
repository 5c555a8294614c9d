"""The aioxuc distribution, built from the folder that the integration ships."""

import ast
from collections.abc import Generator
from email.message import Message
from email.parser import HeaderParser
from pathlib import Path
import re
import subprocess
import sys
import tomllib
import zipfile

import pytest

ROOT = Path(__file__).parents[1]
SHIPPED = ROOT / "custom_components" / "xuc" / "aioxuc"
# The folder's packaging files, which stay out of the wheel's package.
PACKAGING = {"LICENSE", "README.md", "pyproject.toml", "ruff.toml"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Generator[zipfile.ZipFile]:
    """The wheel that `uv build` makes of the shipped folder, through its sdist."""
    out = tmp_path_factory.mktemp("dist")
    uv = Path(sys.executable).with_name("uv")
    subprocess.run(  # noqa: S603 (uv and the folder are ours)
        [uv, "build", "--quiet", "--out-dir", out, SHIPPED], check=True, timeout=300
    )
    (path,) = out.glob("aioxuc-*.whl")
    with zipfile.ZipFile(path) as archive:
        yield archive


def metadata(wheel: zipfile.ZipFile) -> Message:
    """The wheel's core metadata."""
    (name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    return HeaderParser().parsestr(wheel.read(name).decode())


def shipped_files() -> dict[str, bytes]:
    """The files of the integration's copy of aioxuc, by path within it.

    Caches and builds (__pycache__, .ruff_cache, dist) are left out: git
    ignores them.
    """
    files = {}
    for path in SHIPPED.rglob("*"):
        name = path.relative_to(SHIPPED)
        ignored = any(
            part == "dist" or part.startswith((".", "__pycache__"))
            for part in name.parts
        )
        if path.is_file() and not ignored and path.name not in PACKAGING:
            files[name.as_posix()] = path.read_bytes()
    return files


def test_wheel_package_is_the_shipped_copy(wheel: zipfile.ZipFile) -> None:
    """The wheel's aioxuc holds the shipped modules and py.typed, byte for byte."""
    shipped = shipped_files()
    packaged = {
        name.removeprefix("aioxuc/"): wheel.read(name)
        for name in wheel.namelist()
        if name.startswith("aioxuc/")
    }
    assert {"__init__.py", "client.py", "py.typed"} <= set(shipped)
    assert sorted(packaged) == sorted(shipped)
    for name, content in shipped.items():
        assert packaged[name] == content, name


def test_wheel_metadata(wheel: zipfile.ZipFile) -> None:
    """Name, version, licence and description come from the folder."""
    project = tomllib.loads((SHIPPED / "pyproject.toml").read_text())["project"]
    meta = metadata(wheel)
    assert meta["Name"] == "aioxuc"
    assert meta["Version"] == project["version"]
    assert meta["License-Expression"] == "MIT"
    assert meta["License-File"] == "LICENSE"
    assert meta["Description-Content-Type"] == "text/markdown"
    readme = (SHIPPED / "README.md").read_text()
    assert meta.get_payload().strip() == readme.strip()


def test_wheel_requires_what_the_modules_import(wheel: zipfile.ZipFile) -> None:
    """Every package that the modules import is a declared requirement, no more."""
    imported: set[str] = set()
    for path in SHIPPED.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                imported.add(node.module.split(".")[0])
    third_party = imported - sys.stdlib_module_names - {"__future__"}
    required = {
        re.split(r"[<>=!~ ;\[]", requirement)[0].lower()
        for requirement in metadata(wheel).get_all("Requires-Dist", [])
    }
    assert third_party == required == {"aiohttp", "orjson", "yarl"}


def test_licence_is_the_repository_one() -> None:
    """The distribution carries the repository's MIT licence unchanged."""
    assert (SHIPPED / "LICENSE").read_bytes() == (ROOT / "LICENSE").read_bytes()
