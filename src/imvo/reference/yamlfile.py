"""Read reference YAML files keeping the line number of every mapping and key.

Plain Python (PyYAML only). Dates stay strings so that their precision ("2014", "2014-11")
survives; the schema parses them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

LINE = "__line__"
LINES = "__lines__"


class _Loader(yaml.SafeLoader):
    pass


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


class YamlError(ValueError):
    """A file that is not valid YAML; the message names file and line."""


def read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else 0
        raise YamlError(f"{path}:{line}: invalid YAML: {exc.problem}") from None
    except UnicodeDecodeError:
        raise YamlError(f"{path}: not UTF-8 text") from None
