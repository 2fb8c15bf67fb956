"""Configured patterns that a backtracking engine matches without blowing up.

site.yml's patterns (place_code_pattern, statistics_code_pattern) are matched by validate against every
code and published in the descriptor for every data tool, most of which match with a backtracking
engine (Python's re, JavaScript's RegExp, PCRE). A repeat whose body can match one text in more than one
way makes them exponential: '^([A-Z]+)+$' tries every way of cutting 'AAAA…A!' into runs (24 characters
5 s, 35 past a minute). Such a pattern is refused, found with Python's own parser (re._parser):

- a repeat (of more than one) whose body holds a repeat or an alternation is accepted only when the
  next character always decides inside it: every inner repeat or optional part ends where the next
  character (in the body, at the body's start again, or after the repeat) cannot go on with it, the
  branches of an alternation begin with different characters, and the body cannot match nothing.
  '^[A-Z0-9]+(-[A-Z0-9]+)*$' passes ('-' ends each run); '^([A-Z]+)+$' and '^(E|EX)+$' do not.

A repeat outside a repeat ('[A-Z]+[A-Z0-9]*') is at worst polynomial, and the values matched are short
(schema.ID_CHARS): it is allowed. Whether two sets of characters meet is asked of the engine itself
(a lookahead of one set before the other), so case-insensitive and Unicode classes count as re counts them.
"""

from __future__ import annotations

import re
from functools import cache
from re import _compiler, _parser
from re import _constants as sre

REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
ONE_CHARACTER = (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN)
ANYTHING = "anything"  # what a backreference matches: any text, as far as the analysis knows
FINITE_CHARS = 5000  # a set of characters this small is listed to look for a shared one; a larger one is scanned


class Ambiguous(Exception):
    """The pattern can match one text in many ways; the message says where."""


def backtracking_problem(pattern: str) -> str | None:
    """Why the pattern could backtrack without bound, or None (also for a pattern that does not compile:
    that is reported as such)."""
    try:
        parsed = _parser.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return None
    try:
        _Analysis(parsed.state)._walk(list(parsed.data), [], (0, 0), inside=False)
    except Ambiguous as error:
        return str(error)
    return None


class _Analysis:
    def __init__(self, state):
        self.state = state

    # ------------------------------------------------------------- what can come first

    def first(self, items: list, flags: tuple) -> tuple[list, bool]:
        """The characters that can begin a match of the sequence (each (node, flags)), and whether it can
        match nothing."""
        chars = []
        for node in items:
            more, empty = self.node_first(node, flags)
            chars += more
            if not empty:
                return chars, False
        return chars, True

    def node_first(self, node, flags: tuple) -> tuple[list, bool]:
        op, av = node
        if op in ONE_CHARACTER:
            return [(node, flags)], False
        if op == sre.SUBPATTERN:
            return self.first(list(av[3].data), _scoped(flags, av[1], av[2]))
        if op == sre.ATOMIC_GROUP:
            return self.first(list(av.data), flags)
        if op in REPEATS:
            chars, empty = self.first(list(av[2].data), flags)
            return chars, empty or av[0] == 0
        if op == sre.BRANCH:
            return self.branches_first([list(b.data) for b in av[1]], flags)
        if op == sre.GROUPREF_EXISTS:
            return self.branches_first([list(b.data) if b is not None else [] for b in av[1:]], flags)
        if op == sre.GROUPREF:
            return [(ANYTHING, flags)], True
        return [], True  # AT, ASSERT, ASSERT_NOT: match no character

    def branches_first(self, branches: list, flags: tuple) -> tuple[list, bool]:
        chars, empty = [], False
        for branch in branches:
            more, nothing = self.first(branch, flags)
            chars += more
            empty = empty or nothing
        return chars, empty

    # ------------------------------------------------------------- the walk

    def _walk(self, items: list, follow: list, flags: tuple, inside: bool) -> None:
        """Check every repeat of the sequence; follow: what can come after it; inside: within the body
        of a repeat that holds a choice, where every choice must be decided by the next character."""
        for index, node in enumerate(items):
            rest, rest_empty = self.first(items[index + 1 :], flags)
            after = rest + (follow if rest_empty else [])
            self._walk_node(node, after, flags, inside)

    def _walk_node(self, node, after: list, flags: tuple, inside: bool) -> None:
        op, av = node
        if op == sre.SUBPATTERN:
            self._walk(list(av[3].data), after, _scoped(flags, av[1], av[2]), inside)
        elif op == sre.ATOMIC_GROUP:
            self._walk(list(av.data), after, flags, False)  # never backtracked into once matched
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            self._walk(list(av[1].data), [], flags, False)
        elif op in (sre.BRANCH, sre.GROUPREF_EXISTS):
            branches = [list(b.data) for b in av[1]] if op == sre.BRANCH else [list(b.data) for b in av[1:] if b]
            if inside:
                self._check_branches(branches, after, flags)
            for branch in branches:
                self._walk(branch, after, flags, inside)
        elif op in REPEATS:
            self._walk_repeat(op, av, after, flags, inside)

    def _walk_repeat(self, op, av, after: list, flags: tuple, inside: bool) -> None:
        low, high, body = av[0], av[1], list(av[2].data)
        if op == sre.POSSESSIVE_REPEAT:  # keeps what it took: one way only
            self._walk(body, [], flags, False)
            return
        starts, empty = self.first(body, flags)
        if inside and low != high:
            shared = self.shared(starts, after)
            if shared is not None:
                raise Ambiguous(f"a repeated part can take {shared!r} or leave it to what follows")
        checked = inside or (high > 1 and self.holds_choice(body))
        if checked and high > 1 and empty:
            raise Ambiguous("a repeated part can match nothing, and so be repeated in any number of ways")
        self._walk(body, starts + after if high > 1 else after, flags, checked)

    def _check_branches(self, branches: list, after: list, flags: tuple) -> None:
        """Branches in a repeat part at their first character after the letters they share ('-N|-S' at
        'N' and 'S'), a branch that can match nothing with what follows it: else one text can be matched
        by either, at every repetition."""
        for index, one in enumerate(branches):
            for other in branches[index + 1 :]:
                shared = self.same_start(one, other, after, flags)
                if shared is not None:
                    text = repr(shared) if shared else "the same empty text"
                    raise Ambiguous(f"two branches of a repeated alternation can both match {text}")

    def same_start(self, one: list, other: list, after: list, flags: tuple) -> str | None:
        """A text both branches can begin with (their shared letters and a character), or None."""
        common = 0
        while common < min(len(one), len(other)) and one[common] == other[common] and one[common][0] == sre.LITERAL:
            common += 1
        prefix = "".join(chr(node[1]) for node in one[:common])
        starts_one, empty_one = self.first(one[common:], flags)
        starts_other, empty_other = self.first(other[common:], flags)
        if empty_one and empty_other:
            return prefix
        shared = self.shared(starts_one + (after if empty_one else []), starts_other + (after if empty_other else []))
        return None if shared is None else prefix + shared

    def holds_choice(self, items: list) -> bool:
        """Whether the sequence holds a repeat that may stop at more than one length, or an alternation."""
        for op, av in items:
            if op in REPEATS and (av[0] != av[1] or self.holds_choice(list(av[2].data))):
                return True
            if op in (sre.BRANCH, sre.GROUPREF_EXISTS, sre.GROUPREF):
                return True
            if op == sre.SUBPATTERN and self.holds_choice(list(av[3].data)):
                return True
        return False

    # ------------------------------------------------------------- characters in common

    def shared(self, one: list, other: list) -> str | None:
        """A character both sets can match, or None."""
        for a in one:
            for b in other:
                found = self.common(a, b)
                if found is not None:
                    return found
        return None

    def common(self, a, b) -> str | None:
        if a[0] == ANYTHING or b[0] == ANYTHING:
            return "any character"
        ahead = _parser.SubPattern(self.state, self.scoped_node(a))
        both = _parser.SubPattern(self.state, [(sre.ASSERT, (1, ahead)), *self.scoped_node(b)])
        test = _compiler.compile(both, self.state.flags)  # a character of a's that b takes too
        for candidates in (self.listed(a), self.listed(b)):
            if candidates is not None:
                found = test.search(candidates)
                return found.group() if found else None
        found = test.search(_every_character())
        return found.group() if found else None

    def scoped_node(self, item) -> list:
        """The one-character node as a sequence, in a group with the flags in force where it was written."""
        node, (add, delete) = item
        if not (add or delete):
            return [node]
        return [(sre.SUBPATTERN, (None, add, delete, _parser.SubPattern(self.state, [node])))]

    def listed(self, item) -> str | None:
        """The characters of a small set given one by one (literals and ranges, exact case), else None."""
        (op, av), (add, delete) = item
        if (self.state.flags | add) & ~delete & re.IGNORECASE:
            return None
        if op == sre.LITERAL:
            return chr(av)
        if op != sre.IN or any(kind not in (sre.LITERAL, sre.RANGE) for kind, _ in av):
            return None
        spans = [(value, value) if kind == sre.LITERAL else value for kind, value in av]
        if sum(high - low + 1 for low, high in spans) > FINITE_CHARS:
            return None
        return "".join(chr(c) for low, high in spans for c in range(low, high + 1))


def _scoped(flags: tuple, add: int, delete: int) -> tuple:
    """The flags in force inside a group such as (?i:...)."""
    return (flags[0] | add) & ~delete, (flags[1] | delete) & ~add


@cache
def _every_character() -> str:
    """Every code point but the surrogates, which no decoded text holds: to look for a shared one."""
    return "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x110000)))
