"""Whether two phrases can match the same step: the intersection of two regular expressions.

Each phrase is a regular expression matched against a whole step. Two phrases are ambiguous
when some text matches both; this module finds the shortest such text, or proves there is
none. It reads the small part of Python's regular expression syntax the phrases use (plain
characters and escapes, ``.``, ``\\d \\s \\S \\w``, classes ``[a-z0-9_]`` and ``[^"]``, groups
``(...)``, ``(?:...)`` and ``(?P<name>...)``, ``|``, and the quantifiers ``? * + {n} {n,m}``,
lazy or not), builds a nondeterministic automaton for each (Thompson's construction) and
searches their product breadth first. Anything else is refused with ``UnsupportedPattern``.

Characters are compared over a finite alphabet: printable ASCII and every character written in
either expression. Two character sets share a character of any text only if they share one of
this alphabet, so the answer is exact for these expressions.
"""

from __future__ import annotations

import functools
from collections import deque
from dataclasses import dataclass, field
from typing import Callable

CharTest = Callable[[str], bool]


class UnsupportedPattern(ValueError):
    """The expression uses syntax this module does not read."""


# --- reading an expression ------------------------------------------------------------------


@dataclass
class _Node:
    kind: str  # char | cat | alt | repeat
    test: CharTest | None = None
    items: list["_Node"] = field(default_factory=list)
    low: int = 0
    high: int | None = None


_CLASSES: dict[str, CharTest] = {
    "d": str.isdigit,
    "D": lambda c: not c.isdigit(),
    "s": str.isspace,
    "S": lambda c: not c.isspace(),
    "w": lambda c: c.isalnum() or c == "_",
    "W": lambda c: not (c.isalnum() or c == "_"),
}


class _Reader:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.position = 0
        self.literals: set[str] = set()

    def fail(self, what: str) -> UnsupportedPattern:
        return UnsupportedPattern(f"{what} at {self.position} in {self.pattern!r}")

    def peek(self) -> str:
        return self.pattern[self.position] if self.position < len(self.pattern) else ""

    def take(self) -> str:
        char = self.peek()
        self.position += 1
        return char

    def read(self) -> _Node:
        node = self.alternation()
        if self.position != len(self.pattern):
            raise self.fail("unexpected ')'")
        return node

    def alternation(self) -> _Node:
        options = [self.sequence()]
        while self.peek() == "|":
            self.take()
            options.append(self.sequence())
        return options[0] if len(options) == 1 else _Node("alt", items=options)

    def sequence(self) -> _Node:
        items = []
        while self.peek() not in ("", "|", ")"):
            items.append(self.quantified(self.atom()))
        return _Node("cat", items=items)

    def quantified(self, node: _Node) -> _Node:
        char = self.peek()
        if char in ("?", "*", "+"):
            self.take()
            low, high = {"?": (0, 1), "*": (0, None), "+": (1, None)}[char]
        elif char == "{" and self._counted():
            low, high = self._counted_bounds()
        else:
            return node
        if self.peek() == "?":  # lazy: the same language
            self.take()
        return _Node("repeat", items=[node], low=low, high=high)

    def _counted(self) -> bool:
        end = self.pattern.find("}", self.position)
        inner = self.pattern[self.position + 1 : end] if end != -1 else ""
        parts = inner.split(",")
        return (
            end != -1
            and 1 <= len(parts) <= 2
            and parts[0].isdigit()
            and all(p.isdigit() or p == "" for p in parts)
        )

    def _counted_bounds(self) -> tuple[int, int | None]:
        end = self.pattern.index("}", self.position)
        parts = self.pattern[self.position + 1 : end].split(",")
        self.position = end + 1
        low = int(parts[0])
        high = low if len(parts) == 1 else (int(parts[1]) if parts[1] else None)
        return low, high

    def atom(self) -> _Node:
        char = self.take()
        if char == "(":
            if self.pattern.startswith("?:", self.position):
                self.position += 2
            elif self.pattern.startswith("?P<", self.position):
                end = self.pattern.find(">", self.position)
                if end == -1:
                    raise self.fail("unclosed group name")
                self.position = end + 1
            elif self.peek() == "?":
                raise self.fail("group extension")
            inner = self.alternation()
            if self.take() != ")":
                raise self.fail("unclosed group")
            return inner
        if char == "[":
            return _Node("char", test=self.char_class())
        if char == ".":
            return _Node("char", test=lambda c: c != "\n")
        if char == "\\":
            return _Node("char", test=self.escape())
        if char in ("^", "$", "*", "+", "?", "{"):
            raise self.fail(f"'{char}'")
        self.literals.add(char)
        return _Node("char", test=char.__eq__)

    def escape(self) -> CharTest:
        char = self.take()
        if char in _CLASSES:
            return _CLASSES[char]
        if char.isalnum():
            raise self.fail(f"escape '\\{char}'")
        self.literals.add(char)
        return char.__eq__

    def char_class(self) -> CharTest:
        negated = self.peek() == "^"
        if negated:
            self.take()
        tests: list[CharTest] = []
        first = True
        while True:
            char = self.take()
            if char == "":
                raise self.fail("unclosed '['")
            if char == "]" and not first:
                break
            first = False
            if char == "\\":
                escaped = self.peek()
                tests.append(self.escape())
                if escaped in _CLASSES:
                    continue
                char = escaped
            elif self.peek() == "-" and self.pattern[self.position + 1 : self.position + 2] not in ("]", ""):
                self.take()
                high = self.take()
                if high == "\\":
                    high = self.take()
                self.literals.update((char, high))
                tests.append(lambda c, low=char, top=high: low <= c <= top)
                continue
            else:
                self.literals.add(char)
                tests.append(char.__eq__)
        if negated:
            return lambda c: c != "\n" and not any(test(c) for test in tests)
        return lambda c: any(test(c) for test in tests)


# --- automata -------------------------------------------------------------------------------


class _Automaton:
    """A nondeterministic automaton: states 0..n-1, character edges and empty edges."""

    def __init__(self) -> None:
        self.edges: list[list[tuple[CharTest, int]]] = []
        self.empty: list[list[int]] = []

    def state(self) -> int:
        self.edges.append([])
        self.empty.append([])
        return len(self.edges) - 1

    def build(self, node: _Node) -> tuple[int, int]:
        """States (start, end) for ``node``."""
        start = self.state()
        if node.kind == "char":
            end = self.state()
            self.edges[start].append((node.test, end))
            return start, end
        if node.kind == "cat":
            current = start
            for item in node.items:
                first, last = self.build(item)
                self.empty[current].append(first)
                current = last
            return start, current
        if node.kind == "alt":
            end = self.state()
            for item in node.items:
                first, last = self.build(item)
                self.empty[start].append(first)
                self.empty[last].append(end)
            return start, end
        # repeat: low copies, then (high - low) optional copies or a loop
        current = start
        for _ in range(node.low):
            first, last = self.build(node.items[0])
            self.empty[current].append(first)
            current = last
        end = self.state()
        self.empty[current].append(end)
        if node.high is None:
            first, last = self.build(node.items[0])
            self.empty[current].append(first)
            self.empty[last].append(current)
        else:
            for _ in range(node.high - node.low):
                first, last = self.build(node.items[0])
                self.empty[current].append(first)
                self.empty[last].append(end)
                current = last
        return start, end

    def closure(self, states: frozenset[int] | set[int]) -> frozenset[int]:
        seen = set(states)
        stack = list(states)
        while stack:
            for target in self.empty[stack.pop()]:
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        return frozenset(seen)


@functools.lru_cache(maxsize=512)
def _compile(pattern: str) -> tuple[_Automaton, int, int, frozenset[str]]:
    """The automaton of ``pattern`` (built once: it is not changed afterwards)."""
    reader = _Reader(pattern)
    node = reader.read()
    automaton = _Automaton()
    start, end = automaton.build(node)
    return automaton, start, end, frozenset(reader.literals)


# --- the search -----------------------------------------------------------------------------

#: The order characters are tried in, so that examples read naturally ("1 May 1111").
_PREFERRED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890 "


def example_of_overlap(pattern_a: str, pattern_b: str) -> str | None:
    """The shortest text both expressions match in full (``re.fullmatch``), or None."""
    a, start_a, end_a, literals_a = _compile(pattern_a)
    b, start_b, end_b, literals_b = _compile(pattern_b)
    alphabet = list(
        dict.fromkeys(
            _PREFERRED
            + "".join(chr(code) for code in range(32, 127))
            + "".join(sorted(literals_a | literals_b))
        )
    )
    masks: dict[CharTest, int] = {}

    def mask(test: CharTest) -> int:
        """The characters of the alphabet ``test`` accepts, as bits (bit i: alphabet[i])."""
        if test not in masks:
            masks[test] = sum(1 << index for index, char in enumerate(alphabet) if test(char))
        return masks[test]

    def edges(automaton: _Automaton, states: frozenset[int]) -> list[tuple[int, int]]:
        return [(mask(test), target) for state in states for test, target in automaton.edges[state]]

    first = (a.closure({start_a}), b.closure({start_b}))
    parents: dict[tuple, tuple | None] = {first: None}
    queue = deque([first])
    while queue:
        pair = queue.popleft()
        states_a, states_b = pair
        if end_a in states_a and end_b in states_b:
            text = []
            while parents[pair] is not None:
                pair, char = parents[pair]
                text.append(char)
            return "".join(reversed(text))
        edges_a, edges_b = edges(a, states_a), edges(b, states_b)
        shared = 0
        for bits, _ in edges_a:
            shared |= bits
        common = 0
        for bits, _ in edges_b:
            common |= bits
        shared &= common
        index = 0
        while shared:
            if shared & 1:
                bit = 1 << index
                following = (
                    a.closure({target for bits, target in edges_a if bits & bit}),
                    b.closure({target for bits, target in edges_b if bits & bit}),
                )
                if following not in parents:
                    parents[following] = (pair, alphabet[index])
                    queue.append(following)
            shared >>= 1
            index += 1
    return None
