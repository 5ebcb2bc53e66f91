"""``specc --help`` and ``specc --version`` load no stage of the pipeline.

Start-up cost is measured by hand (docs/architecture.md, "Start-up"); what keeps it
low is checked here: which modules a command loads. A command module imports only
typer and the standard library at its top, and what a command needs loads when it
runs, so these lists stay short whatever the stages grow to.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = (
    "import json, sys\n"
    "sys.argv = ['specc', *sys.argv[1:]]\n"
    "from specc.cli.app import main\n"
    "try:\n"
    "    main()\n"
    "except SystemExit:\n"
    "    pass\n"
    "sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules)))\n"
)
HEAVY = (
    "requests",
    "jsonschema",
    "ruamel",
    "deepdiff",
    "cs",
    "sqlite3",
    "specc.spec.models",
    "specc.backends",
    "specc.graph",
    "specc.changes",
    "specc.planning",
    "specc.cloud",
    "specc.hosts",
    "specc.render",
    "specc.execute",
    "specc.sim",
)


def _loaded(*args: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    return json.loads(out.stderr.rsplit("MODULES ", 1)[1])


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("plan", "--help")])
def test_help_and_version_load_no_stage(args: tuple[str, ...]) -> None:
    loaded = _loaded(*args)
    heavy = sorted(m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY))
    assert heavy == []
    if args != ("plan", "--help"):  # a command's own help: typer builds its types on pydantic
        assert "pydantic" not in loaded


def test_version_is_answered_before_typer_loads() -> None:
    loaded = _loaded("--version")
    assert "typer" not in loaded and "rich" not in loaded


def test_version_prints_the_package_version() -> None:
    from specc import __version__

    out = subprocess.run(
        [sys.executable, "-m", "specc.cli", "--version"], capture_output=True, text=True
    )
    assert (out.returncode, out.stdout) == (0, f"specc {__version__}\n")
    out = subprocess.run(
        [sys.executable, "-m", "specc.cli", "validate", "--help"], capture_output=True, text=True
    )
    assert out.returncode == 0 and "--strict" in out.stdout


def test_version_option_also_in_the_app() -> None:
    """``specc --version`` given with other words still goes through typer's option."""
    out = subprocess.run(
        [sys.executable, "-m", "specc.cli", "--version", "validate"],
        capture_output=True,
        text=True,
    )
    assert (out.returncode, out.stdout.split()[0]) == (0, "specc")
