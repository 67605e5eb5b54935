"""Clause-by-clause comparison of two versions, matched by clause key, with word-level changes marked."""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field

from django.utils.safestring import mark_safe

from .models import Clause, ProtocolVersion
from .sanitize import rich_text_html

TOKEN = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> tuple[str, str]:
    """(old with deletions in <del>, new with insertions in <ins>), both escaped HTML."""
    if old == new:  # most clauses of a new version: what the matcher would find, without running it
        same = mark_safe(html.escape(old).replace("\n", "<br>"))  # noqa: S308 - escaped
        return same, same
    old_tokens, new_tokens = TOKEN.findall(old), TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    old_out, new_out = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part = html.escape("".join(old_tokens[i1:i2]))
        new_part = html.escape("".join(new_tokens[j1:j2]))
        if tag == "equal":
            old_out.append(old_part)
            new_out.append(new_part)
            continue
        if old_part.strip():
            old_out.append(f"<del>{old_part}</del>")
        else:
            old_out.append(old_part)
        if new_part.strip():
            new_out.append(f"<ins>{new_part}</ins>")
        else:
            new_out.append(new_part)
    as_html = lambda parts: mark_safe("".join(parts).replace("\n", "<br>"))  # noqa: E731
    return as_html(old_out), as_html(new_out)


@dataclass
class ClauseRow:
    status: str  # "same", "changed", "added", "removed"
    old: Clause | None
    new: Clause | None
    old_html: str = ""
    new_html: str = ""
    moved: bool = False
    renumbered: bool = False
    formatting_only: bool = False

    @property
    def key(self):
        return (self.new or self.old).key

    @property
    def label(self):
        labels = {"same": "Unchanged", "changed": "Changed", "added": "Added", "removed": "Removed"}
        parts = [labels[self.status]]
        if self.moved:
            parts.append("moved")
        if self.renumbered and self.status in {"same", "changed"}:
            parts.append("renumbered")
        return ", ".join(parts)

    @property
    def untouched(self):
        """Nothing to show a reviewer: same words, same number, same place, same formatting."""
        return self.status == "same" and not (self.moved or self.renumbered or self.formatting_only)


@dataclass
class SectionRow:
    old_heading: str
    new_heading: str
    status: str
    rows: list[ClauseRow] = field(default_factory=list)

    @property
    def changes(self):
        return sum(1 for row in self.rows if row.status != "same" or row.moved)

    @property
    def changed_rows(self):
        return [row for row in self.rows if not row.untouched]

    @property
    def untouched(self):
        return self.status == "same" and not self.changed_rows


def change_counts(sections: list[SectionRow]) -> dict:
    """How many clauses were added, removed, changed, moved or renumbered, and how many are untouched."""
    rows = [row for section in sections for row in section.rows]
    return {
        "added": sum(row.status == "added" for row in rows),
        "removed": sum(row.status == "removed" for row in rows),
        "changed": sum(row.status == "changed" for row in rows),
        "moved": sum(row.moved for row in rows),
        "renumbered": sum(row.renumbered and row.status in {"same", "changed"} for row in rows),
        "untouched": sum(row.untouched for row in rows),
        "sections_changed": sum(not section.untouched for section in sections),
    }


def _clauses(version):
    return list(
        Clause.objects.filter(section__version=version)
        .select_related("section", "parent")
        .order_by("section__position", "position", "id")
    )


def _heading(section):
    return f"{section.number} {section.heading}".strip() if section else ""


def compare_versions(old: ProtocolVersion, new: ProtocolVersion) -> list[SectionRow]:
    """The sections of `new` in order (removed sections of `old` after), each with its clause rows."""
    old_clauses, new_clauses = _clauses(old), _clauses(new)
    old_by_key = {c.key: c for c in old_clauses}
    new_by_key = {c.key: c for c in new_clauses}
    common_old = [c.key for c in old_clauses if c.key in new_by_key]
    common_new = [c.key for c in new_clauses if c.key in old_by_key]
    # Clauses outside the longest common order moved; so did any that changed section.
    in_order = set()
    matcher = difflib.SequenceMatcher(a=common_old, b=common_new, autojunk=False)
    for block in matcher.get_matching_blocks():
        in_order.update(common_new[block.b : block.b + block.size])

    old_sections = {s.key: s for s in old.sections.all()}
    new_sections = list(new.sections.order_by("position"))
    by_section = {s.key: SectionRow(_heading(old_sections.get(s.key)), _heading(s), "same") for s in new_sections}
    for section_row_key, section in ((s.key, s) for s in new_sections):
        row = by_section[section_row_key]
        if section.key not in old_sections:
            row.status = "added"
        elif row.old_heading != row.new_heading:
            row.status = "changed"

    for clause in new_clauses:
        previous = old_by_key.get(clause.key)
        target = by_section[clause.section.key].rows
        if previous is None:
            escaped = html.escape(clause.plain_text).replace("\n", "<br>")
            target.append(ClauseRow("added", None, clause, new_html=mark_safe(f"<ins>{escaped}</ins>")))
            continue
        old_text, new_text = previous.plain_text, clause.plain_text
        old_html, new_html = word_diff(old_text, new_text)
        status = "same" if old_text == new_text else "changed"
        target.append(
            ClauseRow(
                status,
                previous,
                clause,
                old_html,
                new_html,
                moved=clause.key not in in_order or previous.section.key != clause.section.key,
                renumbered=previous.number != clause.number,
                formatting_only=status == "same"
                and previous.text != clause.text
                and rich_text_html(previous.text) != rich_text_html(clause.text),
            )
        )

    removed_sections = {}
    for clause in old_clauses:
        if clause.key in new_by_key:
            continue
        escaped = html.escape(clause.plain_text).replace("\n", "<br>")
        removed = ClauseRow("removed", clause, None, old_html=mark_safe(f"<del>{escaped}</del>"))
        if clause.section.key in by_section:
            _insert_removed(by_section[clause.section.key].rows, removed, old_clauses)
        else:
            removed_sections.setdefault(
                clause.section.key, SectionRow(_heading(clause.section), "", "removed")
            ).rows.append(removed)
    for key, section in old_sections.items():
        if key not in by_section and key not in removed_sections:
            removed_sections[key] = SectionRow(_heading(section), "", "removed")
    return [by_section[s.key] for s in new_sections] + list(removed_sections.values())


def _insert_removed(rows, removed, old_clauses):
    """Place a removed clause after the row of the clause that preceded it in the old version."""
    order = [c.key for c in old_clauses]
    before = order[: order.index(removed.old.key)]
    for index in range(len(rows) - 1, -1, -1):
        row = rows[index]
        if row.old is not None and row.old.key in before:
            rows.insert(index + 1, removed)
            return
    rows.insert(0, removed)
