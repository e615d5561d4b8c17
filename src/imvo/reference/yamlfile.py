"""Read reference YAML files keeping the line number of every mapping and key.

Plain Python (PyYAML only). Dates stay strings so that their precision ("2014", "2014-11")
survives; the schema parses them. Every way a file can be unreadable (not a file, not UTF-8,
a control character, nesting too deep to be data, broken syntax) is a :class:`YamlError`
naming the file and, where there is one, the line.
"""

from __future__ import annotations

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


def shown(value: Any, limit: int = 80) -> str:
    """``value`` as text fit for a one-line message: control characters escaped, long text cut."""
    # Control characters (category Cc) all lie below U+0100.
    text = "".join(f"\\x{ord(c):02x}" if unicodedata.category(c) == "Cc" else c for c in str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"nested more than {MAX_DEPTH} levels deep",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# Keep dates as text: YAML would turn 2015-07-10 into a date and lose "2015-07".
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    mapping[LINES] = {
        loader.construct_object(key, deep=True): value.start_mark.line + 1
        for key, value in node.value
    }
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class YamlError(DataError):
    """A file that is not valid YAML; the message names file and line."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        location = f"{path}:{line}" if line else str(path)
        super().__init__(f"{location}: {message}", location=location)


def read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise YamlError(path, None, "not UTF-8 text") from None
    except IsADirectoryError:
        raise YamlError(path, None, "not a file (a YAML file is expected here)") from None
    except OSError as exc:
        raise YamlError(path, None, f"cannot be read ({exc.strerror or exc})") from None
    try:
        return yaml.load(text, Loader=_Loader)
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
