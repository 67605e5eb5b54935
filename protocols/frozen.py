"""The record of what was agreed: a version's content written once, as canonical JSON, when it is agreed.

`build_document(version)` reads a version's rows into one plain document: its own facts, the sections
and clauses with their numbering and text, the parties with their boards' names as they are at that
moment, each signature, the boards' memberships, the glossary, and (through the collect_agreed_parts
signal, since protocols never imports accountability) the obligations, duties, relations, meetings and
the accountability diagram. `freeze(version)` stores it once as an AgreedRecord. From then on the
fingerprint, the sealed PDF and /verify/ read that record, never the live rows: a board renamed later
shows renamed on the pages, but what was sealed stays as it was.

A draft's PDF is drawn from the same kind of document, built afresh each time, so drafts and agreed
versions print through one template.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError
from django.db.models import Prefetch

from boards.models import Membership
from core.writes import record_create

from .models import AgreedRecord, Approval, Clause, GlossaryEntry, Party, ProtocolVersion, Section
from .signals import collect_agreed_parts

SCHEMA = 1


# Building ----------------------------------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value else None


def _clause_row(clause):
    return {
        "key": clause.key,
        "parent": clause.parent.key if clause.parent_id else "",
        "number": clause.number,
        "reference": clause.reference,
        "text": clause.text,
    }


def _approval_row(approval):
    return {
        "approved_on": _iso(approval.approved_on),
        "approved_precision": approval.approved_precision,
        "signatory_name": approval.signatory_name,
        "signatory_post_title": approval.signatory_post_title,
        "post_display": approval.post_display,
        "capacity": approval.capacity,
        "signature_kind": approval.signature_kind,
        "signature_text": approval.signature_text,
        "signature_image": approval.signature_image.name or "",
        "note": approval.note,
        "recorded_at": _iso(approval.recorded_at),
        "recorded_by": approval.recorded_by.get_username() if approval.recorded_by_id else None,
        **_evidence_of(approval),
    }


def _evidence_of(approval):
    """How a signature made through a personal signing link was made; nothing for one the business manager
    recorded (older records have no such key, so they read back as they were written)."""
    link = getattr(approval, "signature_request", None) if approval.pk else None
    if link is None:
        return {}
    return {
        "evidence": {
            "method": "signing_link",
            "email": link.signatory_email,
            "sent_at": _iso(link.sent_at),
            "code_confirmed_at": _iso(link.code_confirmed_at),
            "signed_at": _iso(link.used_at),
            "seen_fingerprint": link.seen_fingerprint,
            "client_hash": link.client_hash,
        }
    }


def _membership_row(membership):
    return {
        "member_label": membership.member_label,
        "organisation": (membership.post.organisation if membership.post_id else "") or membership.organisation,
        "capacity": membership.capacity,
        "capacity_label": membership.get_capacity_display(),
    }


def build_document(version: ProtocolVersion) -> dict:
    """The version's content as it stands now, as plain JSON values (a fixed number of queries)."""
    protocol = version.protocol
    area = protocol.area
    sections = []
    clauses = Clause.objects.select_related("parent").order_by("position", "key")
    for section in (
        Section.objects.filter(version=version)
        .order_by("position", "key")
        .prefetch_related(Prefetch("clauses", queryset=clauses))
    ):
        sections.append(
            {
                "key": section.key,
                "kind": section.kind,
                "part": section.part,
                "number": section.number,
                "heading": section.heading,
                "clauses": [_clause_row(clause) for clause in section.clauses.all()],
            }
        )
    live_approvals = Approval.objects.filter(withdrawn_at__isnull=True).select_related(
        "signatory_post", "recorded_by", "signature_request"
    )
    # The boards' members as they stand: a membership ended before today is history, not a member.
    memberships = (
        Membership.objects.not_ended_by(datetime.date.today())
        .select_related("post")
        .order_by("capacity", "post__title", "organisation")
    )
    parties = []
    for party in (
        Party.objects.filter(version=version)
        .select_related("board", "signatory_post")
        .order_by("position", "board__slug")
        .prefetch_related(
            Prefetch("approvals", queryset=live_approvals), Prefetch("board__memberships", queryset=memberships)
        )
    ):
        board = party.board
        parties.append(
            {
                "board": {"slug": board.slug, "name": board.name, "short_name": board.short_name, "kind": board.kind},
                "signatory_post": party.signatory_post.title if party.signatory_post_id else "",
                "signatories_expected": party.signatories_expected,
                "recorded_from_paper": party.recorded_from_paper,
                "paper_note": party.paper_note,
                "approvals": [_approval_row(approval) for approval in party.live_approvals()],
                "memberships": [_membership_row(membership) for membership in board.memberships.all()],
            }
        )
    document = {
        "schema": SCHEMA,
        "protocol": {
            "slug": protocol.slug,
            "title": protocol.title,
            "short_title": protocol.short_title,
            "area": {"slug": area.slug, "name": area.name, "council_name": area.council_name},
        },
        "version": {
            "number": version.number,
            "label": version.label,
            "title": version.title,
            "status": version.status,
            "document_date": _iso(version.document_date),
            "document_date_precision": version.document_date_precision,
            "effective_date": _iso(version.effective_date),
            "effective_date_precision": version.effective_date_precision,
            "review_due": _iso(version.review_due),
            "change_summary": version.change_summary,
            "introduction": version.introduction,
            "agreed_at": _iso(version.agreed_at),
            "recorded_as_past": version.recorded_as_past,
        },
        "sections": sections,
        "parties": parties,
        "glossary": [
            list(row)
            for row in GlossaryEntry.objects.filter(version=version).order_by("term").values_list("term", "meaning")
        ],
        "obligations": [],
        "duties": [],
        "relations": [],
        "meetings": [],
        "diagram": None,
    }
    for _receiver, parts in collect_agreed_parts.send(sender=ProtocolVersion, version=version):
        document.update(parts or {})
    # Lazy strings and dates become plain JSON here, so the stored document and a fresh one compare equal.
    return json.loads(json.dumps(document, cls=DjangoJSONEncoder))


# The fingerprint ---------------------------------------------------------------------------------------


def _fingerprint_approval(row):
    """What the fingerprint holds of a signature; capacity (added later) only when set, so older seals hold."""
    values = [
        row["approved_on"],
        row["approved_precision"] if row["approved_on"] else None,
        row["signatory_name"],
        row["signatory_post_title"],
        row["signature_text"],
    ]
    if row["capacity"]:
        values.append({"capacity": row["capacity"]})
    return values


def fingerprint_of(document: dict) -> str:
    """SHA-256 over the agreed words and who agreed them, independent of database ids.

    Covers the title and preamble, sections and clauses (by stable key, with their nesting and numbers),
    the glossary, and each party's board with its signatures (date at its precision, signatory, post,
    typed signature, capacity) and, where they differ from one signature, how many signatories it lists
    or its paper-copy note. Accountability records drawn from the clauses are the registry's reading of
    the text and are left out. The same canonical JSON as before the record existed, so every PDF sealed
    earlier keeps its fingerprint.
    """
    version = document["version"]
    parties = []
    for party in document["parties"]:
        signatures = sorted(
            (_fingerprint_approval(row) for row in party["approvals"]), key=lambda row: json.dumps(row, sort_keys=True)
        )
        row = [party["board"]["slug"], signatures]
        rule = {}
        if party["signatories_expected"] != 1:
            rule["signatories_expected"] = party["signatories_expected"]
        if party["recorded_from_paper"]:
            rule["recorded_from_paper"] = party["paper_note"]
        if rule:
            row.append(rule)
        parties.append(row)
    record = {
        "protocol": document["protocol"]["slug"],
        "number": version["number"],
        "title": version["title"],
        "introduction": version["introduction"],
        "sections": [[s["key"], s["kind"], s["part"], s["number"], s["heading"]] for s in document["sections"]],
        "clauses": [
            [s["key"], c["key"], c["parent"], c["number"], c["text"]]
            for s in document["sections"]
            for c in s["clauses"]
        ],
        "parties": parties,
        "glossary": document["glossary"],
    }
    canonical = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def text_fingerprint_of(document: dict) -> str:
    """SHA-256 of what a signatory reads: the document's words and parties without anyone's signature, so
    every co-signatory of one version sees the same fingerprint, and a signature can be matched with the
    text that was agreed."""
    document = copy.deepcopy(document)
    for party in document["parties"]:
        party["approvals"] = []
        party["recorded_from_paper"] = False
        party["paper_note"] = ""
    return fingerprint_of(document)


def masked_email(address: str) -> str:
    """An address as public documents show it: enough to recognise, not enough to write to."""
    local, _, domain = (address or "").partition("@")
    return f"{local[:1]}…@{domain}" if domain else ""


def signatures_evidence(document: dict) -> list[dict]:
    """Each signature of a document and how it was given, for the certificate page and /verify/.

    A signature made through a signing link is matched with the text it was made on: one made on a
    text other than this document's is void, and says so.
    """
    text = text_fingerprint_of(document)
    rows = []
    for party in document["parties"]:
        if party["recorded_from_paper"]:
            rows.append({"board": party["board"]["name"], "name": "", "method": "paper", "note": party["paper_note"]})
        for approval in party["approvals"]:
            evidence = approval.get("evidence")
            row = {
                "board": party["board"]["name"],
                "name": approval["signatory_name"],
                "capacity": approval["capacity"],
            }
            if evidence:
                row.update(
                    method="signing_link",
                    email=masked_email(evidence["email"]),
                    signed_at=_datetime(evidence["signed_at"]),
                    code_confirmed_at=_datetime(evidence["code_confirmed_at"]),
                    seen_fingerprint=evidence["seen_fingerprint"],
                    client_hash=evidence["client_hash"],
                    void=evidence["seen_fingerprint"] != text,
                    kind=approval["signature_kind"],
                )
            else:
                row.update(
                    method="recorded",
                    recorded_by=approval["recorded_by"],
                    recorded_at=_datetime(approval["recorded_at"]),
                )
            rows.append(row)
    return rows


# Freezing ----------------------------------------------------------------------------------------------


def freeze(version: ProtocolVersion) -> AgreedRecord:
    """The version's record of what was agreed, written now from its rows if it has none yet.

    Written once: by the services when a version is agreed or a past agreed version is recorded, by the
    migration that introduced it for versions agreed before, and otherwise (versions entered row by row,
    such as the demo data) on first use.
    """
    existing = AgreedRecord.objects.filter(version_id=version.pk).first()
    if existing is not None:
        return existing
    if not version.is_sealed:
        raise ValueError("Only an agreed or superseded version has a record of what was agreed.")
    document = build_document(version)
    record = AgreedRecord(version=version, document=document, fingerprint=fingerprint_of(document))
    try:
        # Part of the change that agreed the version, which is audited as that change.
        record_create(user=None, obj=record, validate=False, audited=False)
    except IntegrityError:  # written by another request meanwhile: theirs stands
        return AgreedRecord.objects.get(version_id=version.pk)
    return record


def freeze_missing() -> int:
    """Write the record of every agreed or superseded version that has none; return how many were written."""
    versions = ProtocolVersion.objects.sealed().filter(agreed_record__isnull=True).select_related("protocol__area")
    count = 0
    for version in versions.iterator():
        freeze(version)
        count += 1
    return count


def document_for(version: ProtocolVersion) -> tuple[dict, str]:
    """The document a PDF of this version is drawn from, and its fingerprint.

    An agreed or superseded version's frozen record; any other version's rows as they are now.
    """
    if version.is_sealed:
        record = freeze(version)
        return record.document, record.fingerprint
    document = build_document(version)
    return document, fingerprint_of(document)


# Reading a document back for the PDF template ---------------------------------------------------------


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _datetime(value):
    return datetime.datetime.fromisoformat(value) if value else None


class _Record:
    """Attribute access over a plain dict, for templates."""

    def __init__(self, **values):
        self.__dict__.update(values)


def _shown_version(version, document):
    """An unsaved copy of the version carrying the document's content, so its display properties
    (dates at their precision, the label, the preamble's HTML) read what was agreed; its status is the
    version's own, since an agreed version may since have been superseded."""
    facts = document["version"]
    area = copy.copy(version.protocol.area)
    area.name = document["protocol"]["area"]["name"]
    area.council_name = document["protocol"]["area"]["council_name"]
    protocol = copy.copy(version.protocol)
    protocol.slug = document["protocol"]["slug"]
    protocol.title = document["protocol"]["title"]
    protocol.short_title = document["protocol"]["short_title"]
    protocol.area = area
    shown = copy.copy(version)
    shown.protocol = protocol
    for name in ("number", "label", "title", "change_summary", "introduction"):
        setattr(shown, name, facts[name])
    for name in ("document_date", "effective_date", "review_due"):
        setattr(shown, name, _date(facts[name]))
    shown.document_date_precision = facts["document_date_precision"]
    shown.effective_date_precision = facts["effective_date_precision"]
    return shown


def _section(row):
    section = Section(key=row["key"], kind=row["kind"], part=row["part"], number=row["number"], heading=row["heading"])
    section.clause_rows = [_clause(clause, is_child=bool(clause["parent"])) for clause in row["clauses"]]
    return section


def _clause(row, is_child):
    clause = Clause(key=row["key"], number=row["number"], text=row["text"])
    clause.is_child = is_child
    return clause


def _approval(row):
    approval = Approval(
        approved_on=_date(row["approved_on"]),
        approved_precision=row["approved_precision"],
        signatory_name=row["signatory_name"],
        signatory_post_title=row["post_display"],
        capacity=row["capacity"],
        signature_kind=row["signature_kind"],
        signature_text=row["signature_text"],
        signature_image=row["signature_image"],
        note=row["note"],
    )
    approval.recorded_at = _datetime(row["recorded_at"])
    approval.recorded_by_name = row["recorded_by"]
    approval.signed_through_link = bool(row.get("evidence"))
    return approval


def _party(row):
    board = row["board"]
    approvals = [_approval(approval) for approval in row["approvals"]]
    complete = row["recorded_from_paper"] or len(approvals) >= row["signatories_expected"]
    return _Record(
        board=_Record(
            slug=board["slug"],
            name=board["name"],
            short_name=board["short_name"],
            label=board["short_name"] or board["name"],
        ),
        signatory_post=_Record(title=row["signatory_post"]) if row["signatory_post"] else None,
        recorded_from_paper=row["recorded_from_paper"],
        paper_note=row["paper_note"],
        live_approvals=approvals,
        approval_complete=complete,
        missing_signatures=range(0 if complete else row["signatories_expected"] - len(approvals)),
        memberships=[_Record(**membership) for membership in row["memberships"]],
    )


def printable(version: ProtocolVersion, document: dict) -> dict:
    """The template's view of a document: the version, its protocol and area, sections with clauses,
    parties with signatures and memberships, the glossary, the schedule and the diagram."""
    return {
        "version": _shown_version(version, document),
        "sections": [_section(row) for row in document["sections"]],
        "parties": [_party(row) for row in document["parties"]],
        "glossary": [_Record(term=term, meaning=meaning) for term, meaning in document["glossary"]],
        "obligations": document["obligations"],
        "relations": document["relations"],
        "diagram": document["diagram"],
    }
