"""Read reference YAML files keeping the line number of every mapping and key.

Plain Python (PyYAML only). Dates stay strings so that their precision ("2014", "2014-11")
survives; the schema parses them. Every way a file can be unreadable (not a file, not UTF-8,
a control character, nesting too deep to be data, broken syntax) is a :class:`YamlError`
naming the file and, where there is one, the line.

The files are treated as untrusted input. Besides the syntax, the reader refuses what the
reference data never needs and what could make a small file cost minutes or gigabytes:

* a key that occurs twice in one mapping (YAML would silently keep the last one);
* anchors (``&name``) and aliases (``*name``), which let a file of a few hundred bytes expand
  to billions of values ("billion laughs"); they are refused at the first one, before
  anything is built from them;
* explicit tags other than ``!!str`` (``!!timestamp`` would turn a date into a date object,
  ``!!python/...`` is refused anyway by the safe loader);
* merge keys (``<<``), which would bypass the duplicate-key check;
* anything beyond the size limits below.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from imvo.core.errors import DataError

LINE = "__line__"
LINES = "__lines__"

#: Lists and mappings nested deeper than this are refused: reference records need a handful of
#: levels, and PyYAML composes and constructs nodes recursively.
MAX_DEPTH = 50

#: Largest reference file read, in bytes. The largest shipped file (trajectories.yaml) is
#: about 35 kB at the time of writing, so the limit leaves fiftyfold room for growth. The
#: pure-Python parser takes up to half a second per megabyte even for comments and blank lines,
#: and the schema checks every record, so a bigger file is refused from its size alone, before
#: any of it is parsed.
MAX_FILE_BYTES = 2_000_000

#: Longest single value (a scalar: text, number or key), in characters. The longest shipped
#: value has under 500; a summary or description of a page and a half still fits, and every
#: message, database field and page cell built from a value stays of a sane size.
MAX_SCALAR_CHARS = 10_000

#: Most values (scalars, lists and mappings together) in one file. The largest shipped file
#: holds under 1,800 at the time of writing; the limit leaves room for growth and bounds the
#: time (about a second) and memory of reading a file of any shape within the size limit,
#: e.g. two megabytes of ``[a,a,a,…]``.
MAX_NODES = 50_000

_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"


def shown(value: Any, limit: int = 80) -> str:
    """``value`` as text fit for a one-line message: control characters escaped, long text cut."""
    text = str(value)
    # Escaping only lengthens text, so the first ``limit`` characters decide what is shown;
    # a long value is not escaped as a whole. Control characters (Cc) all lie below U+0100.
    head = "".join(
        f"\\x{ord(c):02x}" if unicodedata.category(c) == "Cc" else c for c in text[:limit]
    )
    return head if len(text) <= limit and len(head) <= limit else head[: limit - 1] + "…"


class _Refused(yaml.MarkedYAMLError):
    """Well-formed YAML that a reference file may not contain; reported without 'invalid'."""

    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem=problem, problem_mark=mark)


def _tag(tag: str) -> str:
    """A tag as written in a file: ``!!timestamp`` rather than ``tag:yaml.org,2002:timestamp``."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        mark = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                f"YAML aliases are not allowed in reference data (found *{shown(event.anchor)}); "
                "write the value out",
                mark,
            )
        if event.anchor is not None:
            raise _Refused(
                f"YAML anchors are not allowed in reference data (found &{shown(event.anchor)})",
                mark,
            )
        if event.tag is not None and event.tag != _STR_TAG:
            raise _Refused(
                f"the tag {shown(_tag(event.tag))} is not allowed in reference data "
                "(write the value without a tag; quote text)",
                mark,
            )
        if isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_SCALAR_CHARS:
            raise _Refused(
                f"a value of {len(event.value):,} characters, more than the limit of "
                f"{MAX_SCALAR_CHARS:,}",
                mark,
            )
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _Refused(f"more than {MAX_NODES:,} values in one file (the limit)", mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep", mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# Keep dates as text: YAML would turn 2015-07-10 into a date and lose "2015-07". And treat
# "<<" as an ordinary key (refused below) rather than a merge.
_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", _MERGE_TAG)
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[Any, Any] = {}
    lines: dict[Any, int] = {}
    key_lines: dict[Any, int] = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise _Refused("a list or mapping cannot be a key", key_node.start_mark) from None
        if key in (LINE, LINES, "<<"):
            raise _Refused(f"the key '{key}' is not allowed", key_node.start_mark)
        if key in key_lines:
            raise _Refused(
                f"duplicate key '{shown(key)}' (first at line {key_lines[key]})",
                key_node.start_mark,
            )
        key_lines[key] = key_line
        mapping[key] = loader.construct_object(value_node, deep=True)
        lines[key] = value_node.start_mark.line + 1
    mapping[LINE] = node.start_mark.line + 1
    mapping[LINES] = lines
    return mapping


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits())
        raise _Refused(
            f"the number {shown(node.value, 40)} has too many digits", node.start_mark
        ) from None


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


class YamlError(DataError):
    """A file that is not valid YAML; the message names file and line."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        location = f"{path}:{line}" if line else str(path)
        super().__init__(f"{location}: {message}", location=location)


def _too_big(size: int | None) -> str:
    what = f"{size:,} bytes" if size is not None else "larger than that"
    return (
        f"the file is {what}, more than the limit of {MAX_FILE_BYTES:,} bytes for a reference file"
    )


def _read_text(path: Path) -> str:
    """The file's text; refused unread if it is larger than :data:`MAX_FILE_BYTES`."""
    try:
        with path.open("rb") as file:
            info = os.fstat(file.fileno())
            if stat.S_ISREG(info.st_mode) and info.st_size > MAX_FILE_BYTES:
                raise YamlError(path, None, _too_big(info.st_size))
            # Read at most one byte more than allowed (a pipe or device has no size).
            data = file.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError:
        raise YamlError(path, None, "not a file (a YAML file is expected here)") from None
    except OSError as exc:
        raise YamlError(path, None, f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise YamlError(path, None, _too_big(None))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise YamlError(path, None, "not UTF-8 text") from None
    # Universal newlines, as reading the file as text did.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_yaml(path: Path) -> Any:
    text = _read_text(path)
    try:
        return yaml.load(text, Loader=_Loader)
    except _Refused as exc:
        mark = exc.problem_mark
        raise YamlError(path, mark.line + 1 if mark else None, str(exc.problem)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        raise YamlError(path, line, f"invalid YAML: {shown(exc.problem)}") from None
    except yaml.reader.ReaderError as exc:
        # A character YAML does not allow in a file (a NUL, another control character).
        line = text.count("\n", 0, exc.position) + 1
        raise YamlError(
            path,
            line,
            f"invalid YAML: the control character U+{exc.character:04X} is not allowed "
            "(only tab and newline)",
        ) from None
    except RecursionError:
        raise YamlError(path, None, f"nested more than {MAX_DEPTH} levels deep") from None
