"""Starting IMVO Monitor: ``scripts/run ARGS``, ``imvo serve``'s checks, ``imvo --help``."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from imvo.cli import COMMAND_ORDER, first_sentence
from tests.commands.test_audit_cli import one_line_error
from tests.conftest import run_imvo

REPO = Path(__file__).resolve().parents[2]

# A stand-in for every program the scripts call after the helper: it logs its arguments.
LOGGER = '#!/bin/sh\necho "$(basename "$0") $*" >> "$IMVO_TEST_LOG"\n'


@pytest.fixture
def fake_checkout(tmp_path: Path) -> Path:
    """A copy of the scripts with a fake ``.venv`` whose programs only log their arguments."""
    root = tmp_path / "checkout"
    (root / "scripts").mkdir(parents=True)
    for name in ("_venv.sh", "run", "test"):
        shutil.copy2(REPO / "scripts" / name, root / "scripts" / name)
    (root / "pyproject.toml").write_text("[project]\nname = 'fake'\n")
    bin_dir = root / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("python", "imvo", "ruff", "pytest"):
        program = bin_dir / name
        program.write_text(LOGGER)
        program.chmod(0o755)
    return root


def run_script(root: Path, *command: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    log = root.parent / "calls.log"
    log.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("IMVO_EXTRAS", "IMVO_VAR_DIR")}
    env["IMVO_TEST_LOG"] = str(log)
    result = subprocess.run(
        list(command), cwd=root, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    calls = log.read_text().splitlines() if log.exists() else []
    return result, calls


INSTALL_BASE = "python -m pip install --quiet -e ."
INSTALL_DEV = "python -m pip install --quiet -e .[dev]"


def test_run_passes_its_arguments_to_serve_only(fake_checkout):
    result, calls = run_script(fake_checkout, "./scripts/run", "--port", "8080")
    assert result.returncode == 0, result.stderr
    assert INSTALL_BASE in calls
    assert calls[-2:] == ["imvo init", "imvo serve --port 8080"]
    assert not any("--port" in call for call in calls[:-1]), calls
    assert (fake_checkout / ".venv" / ".imvo-installed-base").exists()
    # The second run installs nothing: the stamp is newer than pyproject.toml.
    result, calls = run_script(fake_checkout, "./scripts/run", "--port", "8080", "--threads", "4")
    assert result.returncode == 0, result.stderr
    assert calls == ["imvo init", "imvo serve --port 8080 --threads 4"]


def test_the_helper_sourced_with_the_callers_arguments_takes_no_extras_from_them(fake_checkout):
    script = '. scripts/_venv.sh; echo "extras=[$EXTRAS]"'
    for args in (["--port", "8080"], ["-h"]):
        result, calls = run_script(fake_checkout, "bash", "-c", script, "caller", *args)
        assert result.returncode == 0, result.stderr
        assert "extras=[]" in result.stdout
        assert not any("[" in call or "--port" in call for call in calls), calls
    # Installed once, then never again for the same extras.
    result, calls = run_script(fake_checkout, "bash", "-c", script, "caller", "--port", "1")
    assert calls == []
    # An explicit IMVO_EXTRAS is the only source of extras when set, even empty.
    script = 'IMVO_EXTRAS=""; . scripts/_venv.sh; echo "extras=[$EXTRAS]"'
    result, calls = run_script(fake_checkout, "bash", "-c", script, "caller", "dev")
    assert "extras=[]" in result.stdout and calls == []


def test_scripts_test_still_installs_dev_and_gives_its_arguments_to_pytest(fake_checkout):
    result, calls = run_script(fake_checkout, "./scripts/test", "tests/trajectories", "-q")
    assert result.returncode == 0, result.stderr
    assert INSTALL_DEV in calls
    assert calls[-1] == "pytest tests/trajectories -q"
    assert "ruff check ." in calls
    assert (fake_checkout / ".venv" / ".imvo-installed-dev").exists()


def test_extras_that_are_not_names_are_refused(fake_checkout):
    script = "IMVO_EXTRAS='dev] x'; . scripts/_venv.sh"
    result, calls = run_script(fake_checkout, "bash", "-c", script)
    assert result.returncode == 2
    assert "not a list of extras" in result.stderr
    assert calls == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "99999"], "argument --port: must be from 1 to 65535, not 99999"),
        (["--port", "0"], "argument --port: must be from 1 to 65535, not 0"),
        (["--port", "eighty"], "argument --port: 'eighty' is not a whole number"),
        (["--threads", "0"], "argument --threads: must be from 1 to 64, not 0"),
        (["--threads", "65"], "argument --threads: must be from 1 to 64, not 65"),
    ],
)
def test_serve_refuses_a_port_or_thread_count_out_of_range(cli_env, args, message):
    line = one_line_error(run_imvo("serve", *args, env=cli_env), naming=args[0])
    assert line == f"imvo serve: error: {message}"


def test_serve_on_a_busy_port_is_one_line_naming_host_and_port(cli_env):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        result = run_imvo("serve", "--port", str(port), env=cli_env)
    line = one_line_error(result, naming=f"127.0.0.1:{port}")
    assert (
        line == f"imvo serve: error: cannot listen on 127.0.0.1:{port}: the port is already in use"
    )
    assert "IMVO Monitor: http" not in result.stdout  # it never announced (or started) serving


def test_serve_on_an_unknown_host_is_one_line_naming_host_and_port(cli_env):
    result = run_imvo("serve", "--host", "no-such-host.invalid", "--port", "8123", env=cli_env)
    line = one_line_error(result, naming="no-such-host.invalid:8123")
    assert line.endswith("cannot listen on no-such-host.invalid:8123: unknown host")
    assert result.stdout == ""


def _help_lines(stdout: str) -> dict[str, str]:
    listed = {}
    for line in stdout.splitlines():
        if line.startswith("  ") and not line.startswith("   "):
            name, _, summary = line.strip().partition(" ")
            listed[name] = summary.strip()
    return listed


# The first sentence of each command's help (the commands are not imported here: the test
# process stays small for the memory checks of other tests).
SUMMARIES = {
    "init": "Migrate the database and load the reference data.",
    "serve": "Serve the web application (dashboard, admin) on HOST:PORT.",
    "audit": "Show the audit trail: the latest writes with who, when, old and new values and why.",
}


@pytest.mark.parametrize("args", [["--help"], [], ["help"]], ids=["--help", "bare", "help"])
def test_the_main_help_lists_imvos_commands_first_with_one_line_each(cli_env, args):
    result = run_imvo(*args, env=cli_env)
    assert result.returncode == 0, result.stderr
    listed = _help_lines(result.stdout)
    assert list(listed) == list(COMMAND_ORDER)
    for name, summary in listed.items():
        assert summary.endswith(".") and 20 < len(summary) < 160, (name, summary)
        assert summary == SUMMARIES.get(name, summary)
    assert "migrate" not in listed
    assert "'imvo help --all'" in result.stdout


def test_help_all_lists_every_command_as_django_does_and_help_command_still_works(cli_env):
    everything = run_imvo("help", "--all", env=cli_env)
    assert everything.returncode == 0, everything.stderr
    assert "Available subcommands:" in everything.stdout
    for name in ("migrate", "createsuperuser", *COMMAND_ORDER):
        assert f"    {name}\n" in everything.stdout
    one = run_imvo("help", "serve", env=cli_env)
    assert one.returncode == 0, one.stderr
    assert one.stdout.startswith("usage: imvo serve")
    assert "from 1 to 65535" in " ".join(one.stdout.split())


def test_first_sentence():
    assert first_sentence("Serve the app on HOST:PORT.") == "Serve the app on HOST:PORT."
    assert first_sentence("One. Two.") == "One."
    assert first_sentence("No full stop\n  at all") == "No full stop at all"
    assert first_sentence("Version 1.5 is out. More.") == "Version 1.5 is out."
