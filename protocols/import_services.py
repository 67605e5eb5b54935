"""From an uploaded document to a draft: keep the upload, propose facts, and on the business
manager's confirmation save through protocols.services like any other edit.

Reading the document is protocols.importing's job and touches no database; this module only keeps
what was read and turns the confirmed parts into records.
"""

from __future__ import annotations

import hashlib
import html
import re

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from boards.models import Board, DatePrecision
from core.writes import Action, record_create, record_update

from . import services
from .importing import ImportRefused, read_document
from .importing.structure import parse_blocks
from .models import GlossaryEntry, ImportedDocument


def imported_document_create(*, user, area, upload, protocol=None) -> ImportedDocument:
    """Read an uploaded file and keep it with what was read. A file that cannot be read raises
    ValidationError({"file": reason}) and nothing is stored."""
    data = upload.read()
    try:
        fmt, blocks = read_document(data, upload.name or "")
        parsed = parse_blocks(blocks)
    except ImportRefused as error:
        raise ValidationError({"file": str(error)}) from error
    digest = hashlib.sha256(data).hexdigest()
    imported = ImportedDocument(
        area=area,
        protocol=protocol,
        uploaded_by=user if user is not None and user.is_authenticated else None,
        filename=(upload.name or "document")[:255],
        sha256=digest,
        size=len(data),
        format=fmt,
        parsed=parsed.as_dict(),
    )
    imported.file.save(f"{digest}.{fmt}", ContentFile(data), save=False)
    # Audited when it becomes a draft; until then it is an upload under review.
    return record_create(user=user, obj=imported, validate=False, audited=False)


# Suggestions -------------------------------------------------------------------------------------

_REPORT = re.compile(
    r"(?P<sender>(?:the\s+)?[A-Z][\w&'’ -]{1,80}?)\s+(?:will|must|shall|should|would)\s+"
    r"(?:formally\s+|also\s+)?(?P<verb>present|submit|forward|send|share|report)\b"
    r"(?P<what>[^.;]{0,120}?)\s+to\s+(?:the\s+)?(?P<receiver>[A-Z][\w&'’ -]{1,80}?)(?=[,.;:()]|\s+(?:for|on|by|in|at|each|every|within|through|which|who)\b|$)"
)
_ACCOUNT = re.compile(
    r"(?P<sender>(?:the\s+)?[A-Z][\w&'’ -]{1,60}?)\s+(?:will\s+)?holds?\s+(?:the\s+)?(?P<receiver>[A-Z][\w&'’ -]{1,80}?)\s+to\s+account"
)
_MONTHS = re.compile(
    r"\b(?:in|by|between|during|each)\s+(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)(?:\s+and\s+\w+)?\b"
)


def _boards_named(text: str, boards) -> list[Board]:
    found = []
    for board in boards:
        names = [board.name] + ([board.short_name] if board.short_name else [])
        if any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE) for name in names if name):
            found.append(board)
    return found


def _walk(parsed: dict):
    """(section, clause dict) for every clause of a parsed document, depth first."""

    def walk(section, clauses):
        for clause in clauses:
            yield section, clause
            yield from walk(section, clause["children"])

    for section in parsed["sections"]:
        yield from walk(section, section["clauses"])


def import_suggestions(imported: ImportedDocument) -> dict:
    """Facts the document seems to state, for the business manager to accept or reject: parties
    matched against the area's register, the dates, glossary entries, and candidate reporting
    obligations and accountability relations with the clause each comes from."""
    parsed = imported.parsed
    boards = list(imported.area.boards.order_by("name"))
    named_in = " ".join([parsed["title"]] + [a["party"] for a in parsed["approvals"]])
    parties = _boards_named(named_in, boards)
    unmatched = [a["party"] for a in parsed["approvals"] if a["party"] and not _boards_named(a["party"], boards)]
    relations = []
    for index, (section, clause) in enumerate(_walk(parsed)):
        if clause["kind"] == "table":
            continue
        text = clause["text"]
        for pattern, kind in ((_REPORT, "reports to"), (_ACCOUNT, "holds to account")):
            for match in pattern.finditer(text):
                when = _MONTHS.search(text)
                relations.append(
                    {
                        "id": f"{index}-{match.start()}",
                        "kind": kind,
                        "sender": match.group("sender").strip(),
                        "receiver": match.group("receiver").strip(),
                        "what": (match.groupdict().get("what") or "").strip(),
                        "when": when.group(0) if when else "",
                        "clause": clause["number"] or f"{section['number']} {section['heading']}".strip(),
                        "sentence": text[max(0, match.start() - 10) : match.end() + 10].strip(),
                        "sender_boards": _boards_named(match.group("sender"), boards),
                        "receiver_boards": _boards_named(match.group("receiver"), boards),
                    }
                )
    return {"parties": parties, "unmatched_parties": unmatched, "relations": relations, "boards": boards}


# Saving --------------------------------------------------------------------------------------------


def _clause_html(clause: dict) -> str:
    return clause["table_html"] if clause["kind"] == "table" else html.escape(clause["text"], quote=False)


def _precision_date(value: dict | None):
    if not value:
        return None, None
    from .importing.dates import PartialDate

    date = PartialDate(value["year"], value["month"], value["day"])
    return date.as_date(), {"day": DatePrecision.DAY, "month": DatePrecision.MONTH, "year": DatePrecision.YEAR}[
        date.precision
    ]


@transaction.atomic
def imported_document_save_draft(
    *,
    user,
    imported: ImportedDocument,
    title: str,
    party_boards=(),
    glossary_terms=(),
    use_document_date: bool = False,
):
    """Create a protocol whose first draft holds the document's sections and clauses as written,
    with the parties, glossary entries and date the business manager accepted. Returns the protocol."""
    if imported.version_id is not None:
        raise ValidationError("This document has already been saved.")
    if imported.protocol_id is not None:
        return imported_document_save_version(
            user=user,
            imported=imported,
            title=title,
            party_boards=party_boards,
            glossary_terms=glossary_terms,
            use_document_date=use_document_date,
        )
    protocol = services.protocol_create(user=user, area=imported.area, title=title, party_boards=list(party_boards))
    version = protocol.versions.get()
    _fill_version(
        user=user,
        imported=imported,
        version=version,
        glossary_terms=glossary_terms,
        use_document_date=use_document_date,
        message=f"Draft imported from {imported.filename}",
    )
    return protocol


@transaction.atomic
def imported_document_save_version(
    *,
    user,
    imported: ImportedDocument,
    title: str,
    party_boards=(),
    glossary_terms=(),
    use_document_date: bool = False,
):
    """A new draft version of the upload's protocol holding the document's text in place of the
    last version's: the review starts as the editor's 'Start review' does, the copied sections are
    replaced by the document's, the accepted parties added. Refused while a draft is open."""
    if imported.version_id is not None:
        raise ValidationError("This document has already been saved.")
    protocol = imported.protocol
    if services.open_draft(protocol) is not None:
        raise ValidationError(
            "This protocol already has an open draft: send it for approval or finish it before importing a new version."
        )
    version = services.version_start_review(user=user, protocol=protocol)
    for section in list(version.sections.all()):
        services.section_delete(user=user, section=section)
    if title.strip() and title.strip() != version.title:
        services.version_update(user=user, version=version, expected_revision=None, title=title)
    present = set(version.parties.values_list("board_id", flat=True))
    for board in party_boards:
        if board.pk not in present:
            services.party_add(user=user, version=version, board=board)
    _fill_version(
        user=user,
        imported=imported,
        version=version,
        glossary_terms=glossary_terms,
        use_document_date=use_document_date,
        message=f"Version {version.number} imported from {imported.filename}",
    )
    return protocol


def _fill_version(*, user, imported, version, glossary_terms, use_document_date, message):
    """The document's sections and clauses, accepted glossary entries and date, into a draft."""
    parsed = imported.parsed
    protocol = version.protocol
    sections = list(parsed["sections"])
    if sections and not sections[0]["number"] and not sections[0]["heading"]:
        # Lines before the first heading are the version's preamble.
        lead = sections.pop(0)
        preamble = "".join(
            f"<p>{_clause_html(c)}</p>" if c["kind"] != "table" else _clause_html(c)
            for _, c in _walk({"sections": [lead]})
        )
        services.version_update(user=user, version=version, expected_revision=None, introduction=preamble)
    part = ""
    current = None
    for section in sections:
        number, heading = section["number"], section["heading"]
        if re.match(r"^(appendix|annex|annexe|schedule|part)\b", number, re.IGNORECASE):
            part = number
        if not heading and not number and current is not None:
            target = current  # a run of clauses with no heading continues the section before it
        else:
            target = services.section_create(
                user=user,
                version=version,
                heading=heading or number,
                number="" if not heading else number,
                part=part,
                kind="appendix" if part.lower().startswith(("appendix", "annex")) else "body",
            )
            current = target
        _save_clauses(user=user, section=target, clauses=section["clauses"], parent=None)
    chosen = {int(i) for i in glossary_terms}
    seen = {term.lower() for term in version.glossary_entries.values_list("term", flat=True)}
    for index, (term, meaning) in enumerate(parsed["glossary"]):
        if index in chosen and term.lower() not in seen:
            seen.add(term.lower())
            entry = GlossaryEntry(version=version, term=term[:60], meaning=meaning[:300])
            record_create(user=user, obj=entry, validate=False, audit_fields=("term", "meaning"))
    if use_document_date:
        day, precision = _precision_date(parsed.get("document_date") or parsed.get("date_agreed"))
        if day is not None:
            record_update(
                user=user,
                obj=version,
                fields={"document_date": day, "document_date_precision": precision},
                validate=False,
            )
    record_update(
        user=user,
        obj=imported,
        fields={"protocol": protocol, "version": version, "saved_at": timezone.now()},
        validate=False,
        action=Action.CREATE,
        message=message[:300],
    )


def _save_clauses(*, user, section, clauses, parent):
    for clause in clauses:
        saved = services.clause_create(
            user=user, section=section, text=_clause_html(clause), number=clause["number"], parent=parent
        )
        _save_clauses(user=user, section=section, clauses=clause["children"], parent=saved)
