"""Hostile reference files: refused at once, in one line naming file and line, nothing written.

Each case turns a copy of the shipped data into a file made to hurt the reader (a duplicate
key that would silently win, an alias bomb, a file or value far too large) and runs
``imvo init --data-dir`` on an initialised installation. The run must end with exit code 2 and
one line ``file:line: message`` on stderr, leave the database as it was, and stay within a few
seconds and a bounded amount of memory (measured on the child process itself).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from imvo.reference.yamlfile import (
    LINES,
    MAX_FILE_BYTES,
    MAX_NODES,
    MAX_SCALAR_CHARS,
    YamlError,
    read_yaml,
)
from tests.reference.test_bad_input import stored
from tests.reference.test_loader import replace

#: CPU seconds (user + system) of a refused run, which starts Python and Django and reads the
#: other files: well under this. CPU time, not wall-clock time, so that a machine busy with
#: other work does not fail the test, while a parser that chews on a hostile file still does.
MAX_SECONDS = 10.0
#: Peak resident memory of a refused run (Django and the data take well under 150 MB).
MAX_RSS_BYTES = 300 * 1024 * 1024


#: Runs a command and writes its peak memory (KB) to a file. A small process of its own: on
#: Linux a child's ru_maxrss can include the RSS its parent had when it forked, so measuring a
#: child of the (large) test process would count the test process's memory too.
MEASURE = """
import os, sys
report, command = sys.argv[1], sys.argv[2:]
pid = os.fork()
if pid == 0:
    os.execv(command[0], command)
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as handle:
    handle.write(f"{usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def refused(env: dict[str, str], data_dir: Path, file: str, line: int | None) -> str:
    """Run ``imvo init --data-dir``; check it is refused quickly, in one line, writing nothing."""
    before = stored(env)
    command = [sys.executable, "-m", "imvo.cli", "init", "--data-dir", str(data_dir)]
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile() as report,
    ):
        measured = [sys.executable, "-c", MEASURE, report.name, *command]
        process = subprocess.Popen(measured, stdout=out, stderr=err, env=env)
        killer = threading.Timer(120, process.kill)
        killer.start()
        try:
            process.wait()
        finally:
            killer.cancel()
        err.seek(0)
        stderr = err.read().decode("utf-8")
        peak, cpu = (Path(report.name).read_text() or "0 0").split()
        peak_kb, elapsed = int(peak), float(cpu)
    assert process.returncode == 2, stderr
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    where = re.escape(str(data_dir / file)) + (f":{line}: " if line else ": ")
    assert re.search(where, lines[0]), lines[0]
    assert elapsed < MAX_SECONDS, f"took {elapsed:.1f} s of CPU"
    assert peak_kb * 1024 < MAX_RSS_BYTES, f"used {peak_kb // 1024} MB"
    assert stored(env) == before, "a refused load changed the database"
    return lines[0]


def line_of(path: Path, text: str) -> int:
    content = path.read_text(encoding="utf-8")
    return content[: content.index(text)].count("\n") + 1


def bomb(levels: int = 9, sep: str = ", ") -> str:
    """A "billion laughs" flow list: ``levels`` anchors, each nine aliases of the one before."""
    items = ["&l0 [" + ", ".join(["lol"] * 9) + "]"]
    items += [f"&l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "[" + sep.join(items) + "]"


# 1. Duplicate keys -----------------------------------------------------------------------------


def test_a_duplicate_key_in_a_flow_mapping_is_refused(cli_env, data_copy):
    path = data_copy / "organisations.yaml"
    line = replace(path, "{key: bz, kind: government,", "{key: bz, kind: government, kind: ngo,")
    message = refused(cli_env, data_copy, "organisations.yaml", line)
    assert message.endswith(f"duplicate key 'kind' (first at line {line})")


def test_a_duplicate_key_in_a_block_is_refused_at_the_second_line(cli_env, data_copy):
    path = data_copy / "sectors.yaml"
    first = replace(path, "  name_nl: Chemie\n", "  name_nl: Chemie\n  name_nl: Chemie bis\n")
    message = refused(cli_env, data_copy, "sectors.yaml", first + 1)
    assert message.endswith(f"{path}:{first + 1}: duplicate key 'name_nl' (first at line {first})")


def test_a_duplicate_key_is_refused_at_any_depth(tmp_path):
    path = tmp_path / "nested.yaml"
    path.write_text("- key: a\n  phases:\n    - {key: p, key: q}\n", encoding="utf-8")
    with pytest.raises(YamlError, match=r"nested\.yaml:3: duplicate key 'key' \(first at line 3\)"):
        read_yaml(path)


def test_equal_keys_written_differently_are_duplicates(tmp_path):
    path = tmp_path / "quoted.yaml"
    path.write_text("name_nl: a\n'name_nl': b\n", encoding="utf-8")
    with pytest.raises(YamlError, match=r"quoted\.yaml:2: duplicate key 'name_nl'"):
        read_yaml(path)


# 2. Anchors and aliases ------------------------------------------------------------------------


def test_an_alias_bomb_in_a_choice_field_is_refused_at_once(cli_env, data_copy):
    path = data_copy / "organisations.yaml"
    line = replace(path, "kind: government", f"kind: {bomb()}")
    message = refused(cli_env, data_copy, "organisations.yaml", line)
    assert message.endswith(": YAML anchors are not allowed in reference data (found &l0)")
    assert "lol" not in message


def test_an_alias_bomb_in_a_date_field_names_the_line_of_the_first_anchor(cli_env, data_copy):
    path = data_copy / "events.yaml"
    line = replace(path, 'date: "2014-11-19"', "date: " + bomb(sep=",\n    "))
    message = refused(cli_env, data_copy, "events.yaml", line)
    assert "anchors are not allowed" in message
    assert len(message) < 300


def test_a_bomb_of_aliases_over_many_lines_names_the_first_anchor(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text("- key: a\n  date:\n    " + bomb(sep=",\n    ") + "\n", encoding="utf-8")
    with pytest.raises(YamlError, match=r"bomb\.yaml:3: YAML anchors are not allowed"):
        read_yaml(path)


def test_an_alias_alone_is_refused(cli_env, data_copy):
    line = replace(data_copy / "organisations.yaml", "kind: government", "kind: *government")
    message = refused(cli_env, data_copy, "organisations.yaml", line)
    assert message.endswith(
        "YAML aliases are not allowed in reference data (found *government); write the value out"
    )


def test_an_anchor_on_a_record_is_refused(tmp_path):
    path = tmp_path / "anchor.yaml"
    path.write_text("- key: a\n- &rec\n  key: b\n", encoding="utf-8")
    with pytest.raises(YamlError, match=r"anchor\.yaml:2: YAML anchors .*\(found &rec\)"):
        read_yaml(path)


# 3. Size limits --------------------------------------------------------------------------------


def test_a_48_megabyte_file_is_refused_before_it_is_read(cli_env, data_copy):
    path = data_copy / "organisations.yaml"
    template = path.read_text(encoding="utf-8").splitlines()[1]  # "- {key: bz, kind: ..."
    assert template.startswith("- {key: bz,")
    copies = 48_000_000 // len(template) + 1
    with path.open("a", encoding="utf-8") as file:
        for i in range(copies):
            file.write(template.replace("{key: bz,", f"{{key: bz-{i},", 1) + "\n")
    size = path.stat().st_size
    assert size > 48_000_000
    message = refused(cli_env, data_copy, "organisations.yaml", None)
    assert message.endswith(
        f"{path}: the file is {size:,} bytes, more than the limit of "
        f"{MAX_FILE_BYTES:,} bytes for a reference file"
    )


def pad(path: Path, size: int) -> None:
    """Append comment lines to ``path`` until it is exactly ``size`` bytes."""
    missing = size - path.stat().st_size
    assert missing > 2
    line = "#" + "x" * 98 + "\n"
    padding = line * ((missing - 1) // len(line))
    rest = missing - len(padding)
    padding += "#" + "x" * (rest - 2) + "\n" if rest >= 2 else "\n"
    with path.open("a", encoding="utf-8") as file:
        file.write(padding)
    assert path.stat().st_size == size


def test_a_file_one_byte_over_the_limit_is_refused(cli_env, data_copy):
    path = data_copy / "sectors.yaml"
    pad(path, MAX_FILE_BYTES + 1)
    message = refused(cli_env, data_copy, "sectors.yaml", None)
    assert f"the file is {MAX_FILE_BYTES + 1:,} bytes" in message


def test_a_file_at_the_limit_is_read(data_copy):
    path = data_copy / "sectors.yaml"
    original = read_yaml(path)
    pad(path, MAX_FILE_BYTES)
    assert read_yaml(path) == original


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_file_is_read_no_further_than_the_limit():
    with pytest.raises(YamlError, match="more than the limit of"):
        read_yaml(Path("/dev/zero"))


def test_a_value_over_the_length_limit_is_refused(cli_env, data_copy):
    long = "x" * (MAX_SCALAR_CHARS + 1)
    line = replace(data_copy / "sectors.yaml", "name_en: Chemicals", f"name_en: {long}")
    message = refused(cli_env, data_copy, "sectors.yaml", line)
    assert message.endswith(
        f": a value of {MAX_SCALAR_CHARS + 1:,} characters, more than the limit of "
        f"{MAX_SCALAR_CHARS:,}"
    )


def test_a_long_key_is_refused_too(tmp_path):
    path = tmp_path / "key.yaml"
    # An explicit key ("? "): YAML itself limits a plain key to 1024 characters.
    path.write_text("a: 1\n? " + "k" * (MAX_SCALAR_CHARS + 1) + "\n: 2\n", encoding="utf-8")
    with pytest.raises(YamlError, match=r"key\.yaml:2: a value of 10,001 characters"):
        read_yaml(path)


def test_a_value_at_the_length_limit_is_read(tmp_path):
    path = tmp_path / "long.yaml"
    path.write_text("summary: " + "x" * MAX_SCALAR_CHARS + "\n", encoding="utf-8")
    assert len(read_yaml(path)["summary"]) == MAX_SCALAR_CHARS


def test_a_file_with_too_many_values_is_refused(cli_env, data_copy):
    path = data_copy / "trajectories.yaml"
    many = ", ".join(["textile"] * MAX_NODES)
    line = replace(path, "sectors: [textile]", f"sectors: [{many}]")
    message = refused(cli_env, data_copy, "trajectories.yaml", line)
    assert message.endswith(f": more than {MAX_NODES:,} values in one file (the limit)")


def test_two_megabytes_of_tiny_values_are_refused_quickly(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text("[" + "a," * (MAX_FILE_BYTES // 2 - 2) + "a]\n", encoding="utf-8")
    assert path.stat().st_size <= MAX_FILE_BYTES
    start = time.monotonic()
    with pytest.raises(YamlError, match=r"tiny\.yaml:1: more than [\d,]+ values in one file"):
        read_yaml(path)
    assert time.monotonic() - start < 5


# Other values the reader refuses rather than crashing or changing their meaning ---------------


def test_an_explicit_timestamp_tag_is_refused(cli_env, data_copy):
    line = replace(data_copy / "events.yaml", 'date: "2014-11-19"', "date: !!timestamp 2014-11-31")
    message = refused(cli_env, data_copy, "events.yaml", line)
    assert message.endswith(
        ": the tag !!timestamp is not allowed in reference data "
        "(write the value without a tag; quote text)"
    )


def test_a_str_tag_is_still_allowed(tmp_path):
    path = tmp_path / "str.yaml"
    path.write_text("code: !!str 20\n", encoding="utf-8")
    assert read_yaml(path)["code"] == "20"


def test_a_number_with_too_many_digits_is_refused(cli_env, data_copy):
    text = (data_copy / "targets.yaml").read_text(encoding="utf-8")
    old = re.search(r"value: \d+", text).group(0)
    line = replace(data_copy / "targets.yaml", old, "value: " + "9" * 5000)
    message = refused(cli_env, data_copy, "targets.yaml", line)
    assert message.endswith("has too many digits")
    assert len(message) < 300


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\n<<: {b: 2}\n", 2, "the key '<<' is not allowed"),
        ("a: 1\n__line__: 7\n", 2, "the key '__line__' is not allowed"),
        ("a: 1\n__lines__: {}\n", 2, "the key '__lines__' is not allowed"),
        ("a: 1\n? [b]\n: 2\n", 2, "a list or mapping cannot be a key"),
    ],
)
def test_keys_that_cannot_be_data_are_refused(tmp_path, text, line, message):
    path = tmp_path / "keys.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(YamlError) as caught:
        read_yaml(path)
    assert str(caught.value) == f"{path}:{line}: {message}"


# What worked before keeps working --------------------------------------------------------------


def test_line_numbers_and_dates_as_text_are_kept(data_copy):
    path = data_copy / "events.yaml"
    records = read_yaml(path)
    first = records[0]
    assert first["date"] == "2014-11-19"
    assert first[LINES]["date"] == line_of(path, 'date: "2014-11-19"')
    assert first[LINES]["status"] == line_of(path, "status: held")


def test_windows_line_endings_keep_line_numbers(tmp_path):
    path = tmp_path / "crlf.yaml"
    path.write_bytes(b"- key: a\r\n  date: 2015-07\r\n- key: b\r\n  key: c\r\n")
    with pytest.raises(YamlError, match=r"crlf\.yaml:4: duplicate key 'key' \(first at line 3\)"):
        read_yaml(path)
