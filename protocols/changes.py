"""Everything a party signs that differs between two versions, as one structured summary.

The word-by-word comparison (diff.py) shows clause text; this summary lists every change an approver
must see before signing: the version's own title and introduction, sections and clauses, parties,
glossary entries and the review date, and, through `extensions.change_readers`, what other apps
record about a version (accountability's reporting obligations, duties, relations and meetings).

A record has no identity that survives into the next version (a review copies it), so records are
paired by what they say: first those that say the same thing about the same clause, then those about
the same thing (the same report, the same two boards), then those of the same kind stated by the same
clause. What is left over was added or removed. A pair that differs is "changed", field by field.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Max

from core.models import AuditRecord
from core.text import NOT_STATED

from . import extensions
from .diff import compare_versions
from .models import ProtocolVersion
from .sanitize import html_to_text, one_line

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
STATUS_LABELS = {ADDED: "Added", REMOVED: "Removed", CHANGED: "Changed"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str

    @property
    def marked(self):
        """Clause text arrives with its deleted and inserted words marked, rather than struck through whole."""
        return hasattr(self.new, "__html__")


@dataclass
class Change:
    status: str  # added, removed or changed
    label: str  # the record in a few words, as the newer version has it
    clause: str = ""  # the clause it hangs on: "clause 3.2", or "" when it hangs on none
    fields: list[FieldChange] = field(default_factory=list)  # what changed, for a changed record
    details: list[tuple[str, str]] = field(default_factory=list)  # what an added or removed record says

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


@dataclass
class ChangeGroup:
    key: str
    title: str
    changes: list[Change] = field(default_factory=list)

    @property
    def counts(self):
        return {status: sum(c.status == status for c in self.changes) for status in (ADDED, REMOVED, CHANGED)}


@dataclass
class VersionChanges:
    old: ProtocolVersion
    new: ProtocolVersion
    groups: list[ChangeGroup]
    notes: list[str] = field(default_factory=list)

    @property
    def changed_groups(self):
        return [group for group in self.groups if group.changes]

    @property
    def total(self):
        return sum(len(group.changes) for group in self.groups)

    def group(self, key):
        return next(group for group in self.groups if group.key == key)

    def without(self, *keys):
        """The groups other than `keys`, e.g. without clause text where the page shows it word by word."""
        return [group for group in self.changed_groups if group.key not in keys]


@dataclass
class Snapshot:
    """What a record says, as the summary compares it: labelled display values and the keys to pair by."""

    label: str
    fields: dict[str, str]  # label -> display value, in display order
    clause_key: str = ""
    clause: str = ""
    same_thing: tuple = ()  # what it is about: the same report, the same two boards
    same_kind: tuple = ()  # the kind of record, to pair leftovers stated by the same clause


def pair(old_items, new_items):
    """(pairs, removed, added): Snapshots paired by meaning, strictest first, each used once."""
    passes = [
        lambda s: (s.clause_key, tuple(s.fields.items())),
        lambda s: (s.clause_key, s.same_thing),
        lambda s: s.same_thing,
        lambda s: (s.clause_key, s.same_kind) if s.clause_key else None,
    ]
    old_left, new_left, pairs = list(old_items), list(new_items), []
    for key in passes:
        buckets = {}
        for item in old_left:
            buckets.setdefault(key(item), []).append(item)
        still_new = []
        for item in new_left:
            bucket = buckets.get(key(item))
            if key(item) is not None and bucket:
                pairs.append((bucket.pop(0), item))
            else:
                still_new.append(item)
        paired_old = {id(old) for old, _ in pairs}
        old_left = [item for item in old_left if id(item) not in paired_old]
        new_left = still_new
    return pairs, old_left, new_left


def group_from_snapshots(key, title, old_items, new_items):
    """A ChangeGroup from two versions' Snapshots of one kind of record."""
    pairs, removed, added = pair(old_items, new_items)
    changes = []
    for old, new in pairs:
        fields = [
            FieldChange(name, old.fields.get(name, ""), value)
            for name, value in new.fields.items()
            if old.fields.get(name, "") != value
        ]
        if old.clause_key != new.clause_key:
            fields.append(FieldChange("Stated in", old.clause or NOT_STATED, new.clause or NOT_STATED))
        if fields:
            changes.append(Change(CHANGED, new.label, new.clause, fields=fields))
    changes += [Change(ADDED, s.label, s.clause, details=list(s.fields.items())) for s in added]
    changes += [Change(REMOVED, s.label, s.clause, details=list(s.fields.items())) for s in removed]
    return ChangeGroup(key, title, changes)


def clause_ref(clause):
    """(key, citation) of the clause a record hangs on, or ("", "") for none."""
    if clause is None:
        return "", ""
    return clause.key, clause.citation


def or_not_stated(value):
    return value if value not in (None, "") else NOT_STATED


# The version's own parts ------------------------------------------------------------------------------------------


def _version_group(old, new):
    fields = []
    if old.title != new.title:
        fields.append(FieldChange("Title", old.title, new.title))
    old_intro, new_intro = one_line(html_to_text(old.introduction)), one_line(html_to_text(new.introduction))
    if old_intro != new_intro:
        fields.append(FieldChange("Introduction", or_not_stated(old_intro), or_not_stated(new_intro)))
    changes = [Change(CHANGED, f"Version {new.number}", fields=fields)] if fields else []
    return ChangeGroup("version", "Title and introduction", changes)


def _clause_group(sections):
    """Sections and clauses added, removed, reworded, moved or renumbered, with the words marked."""
    changes = []
    for section in sections:
        if section.status == "added":
            changes.append(Change(ADDED, f"Section {section.new_heading}".strip()))
        elif section.status == "removed":
            changes.append(Change(REMOVED, f"Section {section.old_heading}".strip()))
        elif section.status == "changed":
            changes.append(
                Change(
                    CHANGED,
                    f"Section {section.new_heading}",
                    fields=[FieldChange("Heading", section.old_heading, section.new_heading)],
                )
            )
        for row in section.rows:
            clause = row.new or row.old
            if row.status == "added":
                changes.append(Change(ADDED, clause.citation, clause.citation, details=[("Text", row.new_html)]))
                continue
            if row.status == "removed":
                changes.append(Change(REMOVED, clause.citation, clause.citation, details=[("Text", row.old_html)]))
                continue
            fields = []
            if row.renumbered:
                fields.append(FieldChange("Number", or_not_stated(row.old.number), or_not_stated(row.new.number)))
            if row.status == "changed":
                fields.append(FieldChange("Text", row.old_html, row.new_html))
            elif row.formatting_only:
                fields.append(FieldChange("Formatting", "as before", "changed"))
            if row.moved:
                fields.append(FieldChange("Place", "as before", "moved"))
            if fields:
                changes.append(Change(CHANGED, clause.citation, clause.citation, fields=fields))
    return ChangeGroup("clauses", "Sections and clauses", changes)


def _party_snapshot(party):
    return Snapshot(
        label=party.board.name,
        fields={
            "Board": party.board.name,
            "Signs for it": party.signatory_post.title if party.signatory_post_id else NOT_STATED,
            "Signatories listed": str(party.signatories_expected),
        },
        same_thing=(party.board_id,),
    )


def _glossary_snapshot(entry):
    return Snapshot(
        label=entry.term,
        fields={"Term": entry.term, "Meaning": entry.meaning},
        same_thing=(entry.term.casefold(),),
    )


def _review_group(old, new):
    """The review date: changed when both versions have one and they differ; a draft gets its date when agreed."""
    changes = []
    if new.review_due and old.review_due != new.review_due:
        changes.append(
            Change(
                CHANGED,
                "Review date",
                fields=[FieldChange("Review due", or_not_stated(old.review_due_display), new.review_due_display)],
            )
        )
    return ChangeGroup("review", "Review date", changes)


def _review_note(old, new):
    if new.review_due or not new.is_open:
        return ""
    cycle = new.protocol.review_cycle_months
    when = (
        f"{cycle} month{'s' if cycle != 1 else ''} after the last approval" if cycle else "when a review is asked for"
    )
    before = f"; version {old.number}'s review is due {old.review_due_display}" if old.review_due else ""
    return f"Version {new.number} has no review date until it is agreed: it falls due {when}{before}."


def version_changes(*, old: ProtocolVersion, new: ProtocolVersion, sections=None) -> VersionChanges:
    """Every change from `old` to `new` a party signs, grouped by kind of record.

    A fixed number of queries, whatever the size of the versions: the clause comparison's (none when
    its `sections` are passed in), two each for parties and glossary entries, and each reader's own
    (see extensions.change_readers).
    """
    parties = {
        version.pk: [_party_snapshot(p) for p in version.parties.select_related("board", "signatory_post")]
        for version in (old, new)
    }
    glossary = {version.pk: [_glossary_snapshot(g) for g in version.glossary_entries.all()] for version in (old, new)}
    groups = [
        _version_group(old, new),
        _clause_group(compare_versions(old, new) if sections is None else sections),
    ]
    for reader in extensions.change_readers:
        groups.extend(reader(old=old, new=new))
    groups += [
        group_from_snapshots("parties", "Parties", parties[old.pk], parties[new.pk]),
        group_from_snapshots("glossary", "Glossary", glossary[old.pk], glossary[new.pk]),
        _review_group(old, new),
    ]
    note = _review_note(old, new)
    return VersionChanges(old=old, new=new, groups=groups, notes=[note] if note else [])


def previous_version(version: ProtocolVersion) -> ProtocolVersion | None:
    """The version a new one is compared with: the one it was copied from, else the one numbered before it."""
    if version.based_on_id:
        return version.based_on
    return version.protocol.versions.filter(number__lt=version.number).order_by("-number").first()


def content_mark(version: ProtocolVersion) -> int:
    """A number that moves whenever what a party signs in `version` changes (one query).

    The last change recorded in the version's audit trail other than a signature or a signing link: they
    change nothing the next signatory reads, so co-signatories do not hold each other up.
    """
    changes = AuditRecord.objects.for_version(version.pk).exclude(
        object_type__in=("protocols.Approval", "protocols.SignatureRequest")
    )
    return changes.aggregate(last=Max("id"))["last"] or 0
