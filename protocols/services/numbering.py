"""Numbering a version's sections and clauses, and what every content edit does afterwards.

Renumbering counts what is numbered and keeps how it is written: a list of "a)" items stays "a)",
"(i)" stays roman, "3.6." keeps its section's number and its full stop, and an unnumbered paragraph
or heading stays unnumbered. The business manager sees the plan (each old and new number) before
anything changes; the plan carries a token, and confirming a plan that no longer matches the draft is
an edit conflict.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from core.exceptions import EditConflict
from core.writes import (
    Action,
    audit,
    one_change,
    record_positions,
)

from ..models import (
    Clause,
    ProtocolVersion,
    Section,
)
from ._helpers import _locked_copy, ensure_editable, withdraw_approvals


def _content_changed(*, user, version, what):
    withdraw_approvals(user=user, version=version, reason=f"{what} changed after approval")
    if version.auto_numbering:
        _renumber(version)


# With automatic numbering, a clause or section added without a number among numbered ones holds this
# until the renumbering that follows the change gives it its number (an unnumbered one elsewhere stays so).
TO_BE_NUMBERED = "#"
LETTERS = "abcdefghijklmnopqrstuvwxyz"
ROMAN = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
# A number as written: what comes before ("3." of "3.6", "4.6 " of "4.6 c)"), an opening bracket, the
# counted part (digits, letters or roman numerals) and what closes it (")" or ".").
NUMBER = re.compile(r"^(?P<head>.*?)(?P<open>\(?)(?P<body>\d+|[A-Za-z]+)(?P<close>[.)]?)$")
ROMAN_BODY = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$", re.IGNORECASE)


def _roman(n):
    out = ""
    for value, letters in ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def _letters(n):
    """1 -> a, 26 -> z, 27 -> aa."""
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = LETTERS[rest] + out
    return out


@dataclass
class Style:
    """How one list writes its numbers: '(a)', 'a)', 'i.', '3.6', '7'."""

    head: str  # written before the counted part, e.g. '3.' or '4.6 '; rewritten when its parent's number changes
    open: str
    kind: str  # digits, lower, upper, roman, ROMAN
    close: str

    def format(self, index, head):
        if self.kind == "digits":
            body = str(index)
        elif self.kind in ("roman", "ROMAN"):
            body = _roman(index)
        else:
            body = _letters(index)
        if self.kind in ("upper", "ROMAN"):
            body = body.upper()
        return f"{head}{self.open}{body}{self.close}"


def _style(numbers, default):
    """The style of a list, read from its numbered items as written; `default` when none can be read."""
    parsed = [match for match in (NUMBER.match(n) for n in numbers) if match]
    if not parsed:
        return default
    first = parsed[0]
    bodies = [m["body"] for m in parsed]
    if first["body"].isdigit():
        kind = "digits"
    elif all(ROMAN_BODY.match(b) for b in bodies) and (first["body"].lower() == "i" or any(len(b) > 1 for b in bodies)):
        kind = "ROMAN" if first["body"].isupper() else "roman"
    else:
        kind = "upper" if first["body"].isupper() else "lower"
    return Style(first["head"], first["open"], kind, first["close"])


def _head(style, old_parent_number, new_parent_number):
    """What goes before the counted part: a head that repeats the parent's number follows its new number."""
    head = style.head
    if old_parent_number and head.rstrip(". ") == old_parent_number.rstrip(". "):
        separator = head[len(head.rstrip(". ")) :]
        return f"{new_parent_number.rstrip('. ')}{separator}" if new_parent_number else ""
    return head


@dataclass
class NumberChange:
    """One section or clause in a renumbering plan: its number now and after."""

    kind: str  # "section" or "clause"
    key: str
    label: str  # the heading, or the clause's opening words
    depth: int
    old: str
    new: str

    @property
    def changes(self):
        return self.old != self.new


@dataclass
class RenumberPlan:
    rows: list[NumberChange]

    @property
    def changed(self):
        return [row for row in self.rows if row.changes]

    @property
    def token(self):
        """Names the draft's numbering as planned: any change to what is numbered, or how, changes it."""
        rows = [[row.kind, row.key, row.old, row.new] for row in self.rows]
        return hashlib.sha256(json.dumps(rows, separators=(",", ":")).encode()).hexdigest()[:20]


DEFAULT_SECTION = Style("", "", "digits", "")
DEFAULT_CLAUSE = Style("", "", "digits", "")
DEFAULT_ITEM = Style("", "(", "lower", ")")


def renumber_plan(version: ProtocolVersion) -> RenumberPlan:
    """What renumbering would do, changing nothing: two queries, whatever the size of the version.

    Body sections that have a number are numbered 1, 2, 3 (appendices keep theirs). In each list of
    clauses the numbered ones are counted in order, in the list's own style; a clause number that
    repeats its section's or parent's number ("3.6", "4.6 c)") follows that number's new value. A list
    of top-level clauses written as going on from an earlier list in the same style (paragraphs 1-2 in
    one section and 3-5 in the next, or 3.5-3.9 under a heading of their own after section 3) goes on
    counting from it; one that starts again at 1 (or "a", or "i") starts again.
    """
    sections = list(version.sections.order_by("position", "id"))
    clauses = list(Clause.objects.filter(section__version=version).select_related("parent").order_by("position", "id"))
    by_section = {}
    for clause in clauses:
        by_section.setdefault(clause.section_id, {}).setdefault(clause.parent_id, []).append(clause)

    numbered_sections = [s for s in sections if s.kind == Section.Kind.BODY and s.number]
    section_style = _style([s.number for s in numbered_sections], DEFAULT_SECTION)
    new_numbers = {
        s.pk: section_style.format(index, section_style.head) for index, s in enumerate(numbered_sections, start=1)
    }
    section_map = {s.number.rstrip(". "): new_numbers[s.pk] for s in numbered_sections}

    rows, counters = [], {}
    for section in sections:
        new_section_number = new_numbers.get(section.pk, section.number)
        rows.append(NumberChange("section", section.key, section.heading, 0, section.number, new_section_number))
        tree = by_section.get(section.pk, {})
        top = tree.get(None, [])
        written = [c.number for c in top if c.number]
        style = _style(written, DEFAULT_CLAUSE)
        # An appendix's own numbering ("A1", "Appendix 1.2") does not follow the body's sections.
        head = _mapped_head(style.head, section_map) if section.kind == Section.Kind.BODY else style.head
        counter = (head, style.open, style.kind, style.close)
        running = counters.get(counter, 0) if written and _value(written[0], style) > 1 else 0
        for clause in top:
            new = clause.number
            if clause.number:
                running += 1
                new = style.format(running, head)
            rows.append(NumberChange("clause", clause.key, clause.plain_line[:80], 1, clause.number, new))
            rows.extend(_child_rows(tree, clause, clause.number, new, depth=2))
        counters[counter] = running
    return RenumberPlan(rows)


def _mapped_head(head, section_map):
    """'3.' becomes '2.' when section 3 becomes section 2; any other head stays as written."""
    stripped = head.rstrip(". ")
    if stripped in section_map:
        return section_map[stripped].rstrip(". ") + head[len(stripped) :]
    return head


def _value(number, style):
    """The count a written number stands for: '3.5' -> 5, 'c)' -> 3, '(iv)' -> 4; 0 when it cannot be read."""
    match = NUMBER.match(number)
    if match is None:
        return 0
    body = match["body"].lower()
    if body.isdigit():
        return int(body)
    if style.kind in ("roman", "ROMAN"):
        return next((n for n in range(1, 40) if _roman(n) == body), 0)
    value = 0
    for letter in body:
        value = value * 26 + LETTERS.index(letter) + 1 if letter in LETTERS else value
    return value


def _child_rows(tree, parent, old_parent_number, new_parent_number, depth):
    children = tree.get(parent.pk, [])
    style = _style([c.number for c in children if c.number], DEFAULT_ITEM)
    head = _head(style, old_parent_number, new_parent_number)
    rows, index = [], 0
    for child in children:
        new = child.number
        if child.number:
            index += 1
            new = style.format(index, head)
        rows.append(NumberChange("clause", child.key, child.plain_line[:80], depth, child.number, new))
        rows.extend(_child_rows(tree, child, child.number, new, depth + 1))
    return rows


def _apply(version, plan):
    keys = {row.key: row.new for row in plan.changed}
    if not keys:
        return
    for section in version.sections.filter(key__in=keys):
        record_positions([(section, keys[section.key])], field="number")
    for clause in Clause.objects.filter(section__version=version, key__in=keys):
        # An editor may hold the clause open: its revision moves, so a save from the old number conflicts.
        record_positions([(clause, keys[clause.key])], field="number", bump=True)


def _renumber(version: ProtocolVersion) -> None:
    """Automatic numbering after a content edit: apply the plan at once."""
    _apply(version, renumber_plan(version))


@one_change()
def version_renumber(*, user, version: ProtocolVersion, token: str | None = None) -> ProtocolVersion:
    """Renumber the whole version once, keeping the numbering mode as it is.

    `token` is the plan's token as the business manager saw it (renumber_plan); when the draft has
    changed since, nothing is renumbered and EditConflict says so. Without a token the current plan applies.
    """
    version = _locked_copy(ProtocolVersion, version.pk)
    ensure_editable(version)
    plan = renumber_plan(version)
    if token is not None and token != plan.token:
        raise EditConflict("The draft changed since this preview was drawn: check the new numbers and confirm again.")
    _apply(version, plan)
    changed = {row.key: row for row in plan.changed}
    if changed:
        audit(
            user=user,
            action=Action.UPDATE,
            obj=version,
            before={key: row.old for key, row in sorted(changed.items())},
            after={key: row.new for key, row in sorted(changed.items())},
            message="Clauses renumbered",
        )
        withdraw_approvals(user=user, version=version, reason="Clauses renumbered")
    return version
