"""YAML -> Python data, remembering where every key and value was written.

PyYAML's ``safe_load`` forgets positions and silently keeps the last of two duplicate keys.
Here the document is composed into nodes first, so that a schema error can name the file,
line and column of the offending key or value, and duplicate keys are reported as errors.

A pack is input too (issue 12 #2): composing is bounded, so a hostile file gets a located
error instead of exhausting memory or the interpreter's stack. Collections may nest at most
``MAX_DEPTH`` deep, aliases may add at most ``MAX_ALIAS_NODES`` nodes in all (an alias bomb,
"billion laughs", expands nine aliases nine times over into 10^9 nodes from a few hundred
bytes), and an alias may not refer to the collection it is inside (a cycle).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from sendrules.dsl.diagnostics import Diagnostic

Path_ = tuple[Any, ...]  # a path into the document: keys (text, numbers, dates) and list indexes

#: How deeply collections may nest in one YAML file of a pack. The bundled packs nest 6 deep;
#: composing and converting recurse once per level, so far fewer than Python's recursion limit.
MAX_DEPTH = 50
#: How many nodes aliases may add to a document, all aliases together. The bundled packs use
#: no aliases; a few shared lists of values fit easily, an alias bomb does not.
MAX_ALIAS_NODES = 10_000


class YamlLimitError(Exception):
    """A YAML file goes past one of the limits above; ``mark`` is where."""

    def __init__(self, code: str, message: str, mark: Any) -> None:
        super().__init__(message)
        self.code, self.message, self.mark = code, message, mark


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, composing at most ``MAX_DEPTH`` deep and expanding aliases to at
    most ``MAX_ALIAS_NODES`` nodes. Each anchored node's size (its nodes, aliases inside it
    expanded) is remembered, so an alias costs what it would expand to, without expanding it."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0  # nodes composed so far, aliases counted at their expanded size
        self._alias_nodes = 0
        self._sizes: dict[str, int] = {}

    def compose_node(self, parent: Any, index: Any) -> Any:
        event: Any = self.peek_event()  # type: ignore[no-untyped-call]  # PyYAML is untyped
        if isinstance(event, yaml.AliasEvent):
            size = self._sizes.get(event.anchor) if event.anchor is not None else None
            if size is None and event.anchor in self.anchors:
                raise YamlLimitError(
                    "yaml_alias_cycle",
                    f"the alias *{event.anchor} refers to the collection it is inside (a cycle)",
                    event.start_mark,
                )
            if size is not None:
                self._alias_nodes += size
                self._nodes += size
                if self._alias_nodes > MAX_ALIAS_NODES:
                    raise YamlLimitError(
                        "yaml_alias_expansion",
                        f"aliases expand to more than {MAX_ALIAS_NODES} nodes (the limit; an alias bomb?)",
                        event.start_mark,
                    )
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise YamlLimitError(
                "yaml_too_deep", f"collections nest more than {MAX_DEPTH} deep", event.start_mark
            )
        before = self._nodes
        self._nodes += 1
        node = super().compose_node(parent, index)
        self._depth -= 1
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self._sizes[anchor] = self._nodes - before
        return node


#: PyYAML's C (libyaml) loader when available: same results, many times faster.
FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class YamlDocument:
    """The data of one YAML file and the positions of its keys and values (1-based)."""

    file: str
    data: Any
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    value_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        """The position of ``path``, or of its closest written ancestor."""
        table = self.key_positions if key else self.value_positions
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if not key and probe in self.key_positions:
                return self.key_positions[probe]
            probe = probe[:-1]
        return self.value_positions.get((), (None, None))

    def diagnostic(
        self, code: str, message: str, path: Path_, *, key: bool = False, hint: str | None = None
    ) -> Diagnostic:
        """A diagnostic located at ``path`` in this document."""
        line, column = self.position(path, key=key)
        return Diagnostic(
            code, message, self.file, line, column, hint=hint, yaml_path=format_path(path) or None
        )


def format_path(path: Path_) -> str:
    """``("ehc.final_plan_weeks", "values", 0)`` -> ``ehc.final_plan_weeks.values[0]``."""
    text = ""
    for part in path:
        if isinstance(part, bool) or not isinstance(part, int):
            shown = part.isoformat() if hasattr(part, "isoformat") else str(part)
            text += ("." if text else "") + shown
        else:
            text += f"[{part}]"
    return text


def load_yaml(text: str, file: str) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse ``text``; on a YAML syntax error return no document and one located diagnostic."""
    loader = _BoundedLoader(text)  # the pure-Python loader: clearer messages for mistakes
    try:
        node = loader.get_single_node()
    except YamlLimitError as error:
        return None, [
            Diagnostic(
                error.code,
                error.message,
                file,
                error.mark.line + 1,
                error.mark.column + 1,
                hint='packs are read with limits (docs/standards-packs.md, "Limits")',
            )
        ]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        problem = error.problem or "invalid YAML"
        return None, [Diagnostic("yaml_syntax", f"not valid YAML: {problem}", file, line, column)]
    except yaml.YAMLError as error:
        return None, [Diagnostic("yaml_syntax", f"not valid YAML: {error}", file)]
    finally:
        loader.dispose()
    document = YamlDocument(file, None)
    diagnostics: list[Diagnostic] = []
    if node is None:
        document.data = None
        return document, diagnostics
    constructor = yaml.SafeLoader("")
    document.data = _convert(node, (), document, constructor, diagnostics)
    return document, diagnostics


def _convert(
    node: yaml.Node,
    path: Path_,
    document: YamlDocument,
    constructor: yaml.SafeLoader,
    diagnostics: list[Diagnostic],
) -> Any:
    document.value_positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, constructor)
            if not isinstance(key, (str, int)) and not _is_date(key):
                key = str(key)
            child = path + (key,)
            if key in result:
                line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                diagnostics.append(
                    Diagnostic(
                        "duplicate_key",
                        f"the key '{key}' is given twice; YAML keeps only one",
                        document.file,
                        line,
                        column,
                        yaml_path=format_path(child),
                        hint="remove or rename one of them",
                    )
                )
                continue
            document.key_positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _convert(value_node, child, document, constructor, diagnostics)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, path + (index,), document, constructor, diagnostics)
            for index, item in enumerate(node.value)
        ]
    return _scalar(node, constructor)


def _scalar(node: yaml.Node, constructor: yaml.SafeLoader) -> Any:
    """A scalar's value. A value YAML recognises but cannot build (``2014-09-31`` looks like a
    date but is not one) stays text, so the schema reports it with its position."""
    try:
        return constructor.construct_object(node, deep=True)
    except (ValueError, yaml.YAMLError):
        return node.value if isinstance(node, yaml.ScalarNode) else str(node.value)


def _is_date(value: object) -> bool:
    import datetime

    return isinstance(value, datetime.date)
