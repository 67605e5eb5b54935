"""From an uploaded document to a draft: keep the upload, propose facts, and on the business
manager's confirmation save through protocols.services like any other edit.

Reading the document is protocols.importing's job and touches no database; this module only keeps
what was read and turns the confirmed parts into records.
"""

from __future__ import annotations

import hashlib
import html
import re
import secrets
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from boards.models import Board, DatePrecision
from boards.services import board_create
from core.writes import Action, one_change, record_create, record_update

from . import services
from .importing import MAX_UPLOAD_BYTES, ImportRefused, read_document
from .importing.readers import pdf_page_count
from .importing.structure import parse_blocks
from .models import GlossaryEntry, ImportedDocument, ProtocolVersion
from .signals import import_confirmed


def imported_document_create(*, user, area, upload, protocol=None) -> ImportedDocument:
    """Read an uploaded file and keep it with what was read. A file that cannot be read raises
    ValidationError({"file": reason}) and nothing is stored."""
    data = upload.read()
    fmt, parsed = _read(data, upload.name or "")
    return _keep(user=user, area=area, protocol=protocol, filename=upload.name, data=data, fmt=fmt, parsed=parsed)


def _read(data: bytes, filename: str, progress=None) -> tuple[str, dict]:
    try:
        fmt, blocks = read_document(data, filename, progress=progress)
        parsed = parse_blocks(blocks)
    except ImportRefused as error:
        raise ValidationError({"file": str(error)}) from error
    return fmt, parsed.as_dict()


def _keep(*, user, area, protocol, filename, data, fmt, parsed) -> ImportedDocument:
    digest = hashlib.sha256(data).hexdigest()
    imported = ImportedDocument(
        area=area,
        protocol=protocol,
        uploaded_by=user if user is not None and user.is_authenticated else None,
        filename=(filename or "document")[:255],
        sha256=digest,
        size=len(data),
        format=fmt,
        parsed=parsed,
    )
    imported.file.save(f"{digest}.{fmt}", ContentFile(data), save=False)
    # Audited when it becomes a draft; until then it is an upload under review.
    return record_create(user=user, obj=imported, validate=False, audited=False)


# Reading a long document in the background ---------------------------------------------------------
#
# A PDF of many pages takes seconds to read. It is read in a thread of the process that took the upload,
# which touches no database: it reports each page read, then what it read, to the cache (shared by the
# registry's instances). The upload's own page refreshes until the reading is done, then keeps the file
# and the parse from the request that finds it done. Nothing is stored if the file is refused.

READING_SECONDS = 15 * 60  # how long a reading and its upload are kept in the cache
STALLED_SECONDS = 120  # no page read for this long: the process that read it has gone


def _reading_key(token: str) -> str:
    return f"import-reading:{token}"


def import_upload(*, user, area, upload, protocol=None) -> ImportedDocument | str:
    """Read an upload now and keep it, or, for a PDF of more pages than IMPORT_BACKGROUND_PAGES,
    start reading it in the background and return the reading's token."""
    data = upload.read()
    pages = pdf_page_count(data) if data.startswith(b"%PDF-") else 0
    if pages <= settings.IMPORT_BACKGROUND_PAGES or len(data) > MAX_UPLOAD_BYTES:
        fmt, parsed = _read(data, upload.name or "")
        return _keep(user=user, area=area, protocol=protocol, filename=upload.name, data=data, fmt=fmt, parsed=parsed)
    token = secrets.token_urlsafe(18)
    state = {
        "user": user.pk,
        "area": area.pk,
        "protocol": protocol.pk if protocol is not None else None,
        "filename": upload.name or "document.pdf",
        "state": "reading",
        "read": 0,
        "pages": pages,
        "updated": time.time(),
    }
    cache.set(_reading_key(token), state, READING_SECONDS)
    cache.set(_reading_key(token) + ":data", data, READING_SECONDS)
    threading.Thread(target=_read_in_background, args=(token, state, data), daemon=True).start()
    return token


def _read_in_background(token: str, state: dict, data: bytes) -> None:
    key = _reading_key(token)

    def progress(read, pages):
        cache.set(key, {**state, "read": read, "pages": pages, "updated": time.time()}, READING_SECONDS)

    try:
        fmt, parsed = _read(data, state["filename"], progress=progress)
    except ValidationError as error:
        outcome = {"state": "refused", "error": " ".join(error.messages)}
    except Exception:  # a reader's failure must reach the page, not vanish with the thread
        outcome = {"state": "refused", "error": "The document could not be read; it may be damaged."}
    else:
        outcome = {"state": "done", "format": fmt, "parsed": parsed}
    if outcome["state"] != "done":
        cache.delete(key + ":data")
    cache.set(key, {**state, **outcome, "read": state["pages"], "updated": time.time()}, READING_SECONDS)


def import_reading(*, user, token: str) -> dict | None:
    """How far the reading has got, for the user who uploaded it: state 'reading' (with `read` of
    `pages`), 'refused' (with `error`), 'stalled', or 'done' with `imported`, the upload now kept.
    None for a reading that is not this user's, or no longer known."""
    key = _reading_key(token)
    state = cache.get(key)
    if state is None or state["user"] != getattr(user, "pk", None):
        return None
    if state["state"] == "reading" and time.time() - state["updated"] > STALLED_SECONDS:
        return {**state, "state": "stalled"}
    if state["state"] != "done":
        return state
    if not cache.add(key + ":keeping", True, 60):  # another request is keeping it: look again shortly
        return {**state, "state": "reading"}
    data = cache.get(key + ":data")
    if data is None:
        return None
    from boards.models import Area

    from .models import Protocol

    imported = _keep(
        user=user,
        area=Area.objects.get(pk=state["area"]),
        protocol=Protocol.objects.get(pk=state["protocol"]) if state["protocol"] else None,
        filename=state["filename"],
        data=data,
        fmt=state["format"],
        parsed=state["parsed"],
    )
    cache.delete_many([key, key + ":data", key + ":keeping"])
    return {"state": "done", "imported": imported}


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


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\s*&\s*", " and ", text or "")).strip()


def _boards_named(text: str, boards, area=None) -> list[Board]:
    """The boards `text` names: by full name, short name, or the name without the area's in front
    ('Health and Wellbeing Board' for 'West Berkshire Health and Wellbeing Board'); '&' reads 'and'."""
    text = _plain(text)
    prefixes = [area.name] if area is not None else []
    found = []
    for board in boards:
        names = [board.name] + ([board.short_name] if board.short_name else [])
        names += [
            board.name[len(prefix) :] for prefix in prefixes if board.name.lower().startswith(prefix.lower() + " ")
        ]
        if any(
            re.search(rf"(?<!\w){re.escape(_plain(name))}(?!\w)", text, re.IGNORECASE)
            for name in names
            if name and len(_plain(name)) > 2
        ):
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
    area = imported.area
    parties = _boards_named(named_in, boards, area)
    unmatched = [a["party"] for a in parsed["approvals"] if a["party"] and not _boards_named(a["party"], boards, area)]
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
                        "sender_boards": _boards_named(match.group("sender"), boards, area),
                        "receiver_boards": _boards_named(match.group("receiver"), boards, area),
                    }
                )
    approvals = []
    for index, approval in enumerate(parsed["approvals"]):
        matched = _boards_named(approval["party"], boards, area) if approval["party"] else []
        # A board by its id; a party not in the register by its name (added as new when ticked); else unchosen.
        board = str(matched[0].pk) if len(matched) == 1 else (approval["party"] if not matched else "")
        approvals.append({"index": index, "approval": approval, "board": board})
    return {
        "parties": parties,
        "unmatched_parties": unmatched,
        "relations": relations,
        "boards": boards,
        "approvals": approvals,
    }


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


@dataclass
class ImportChoices:
    """What the business manager accepted on the review screen (or in the API's confirmation).

    A board reference in `obligations` and `relations` is a Board of the area's register, or a str:
    the name of a board to add to the register as new. Past versions are rows of the document's
    version table by their index, each with the status to record it with. Approvals are the ones the
    document states, by their index, each with the party board it is for; they are recorded only when
    the document is saved as an agreed (or superseded) past version."""

    title: str
    party_boards: list = field(default_factory=list)
    new_parties: list[str] = field(default_factory=list)
    glossary_terms: list = field(default_factory=list)
    use_document_date: bool = False
    obligations: list[dict] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)
    past_versions: list[dict] = field(default_factory=list)
    save_as_past: bool = False
    past_status: str = ""
    past_label: str = ""
    approvals: list[dict] = field(default_factory=list)


def past_statuses():
    """(value, label) of what a document's version may be recorded as."""
    return [(value, label) for value, label in ProtocolVersion.Status.choices if value in ProtocolVersion.PAST]


def proposed_status(row: dict) -> str:
    """The status a row of the document's version table proposes, in the registry's terms: the
    importer reads 'approved', 'circulated_draft' or 'withdrawn' from the table's own words."""
    Status = ProtocolVersion.Status
    return {"approved": Status.AGREED, "circulated_draft": Status.CIRCULATED_DRAFT, "withdrawn": Status.WITHDRAWN}.get(
        row.get("status") or "", ""
    )


def proposed_date(parsed: dict) -> dict | None:
    """The document's date: as its front page writes it, else when it says it was agreed, else its
    own row's date in its version table."""
    own = version_label(parsed.get("version", ""))
    rows = [row for row in parsed.get("past_versions", []) if own and version_label(row["version"]) == own]
    return parsed.get("document_date") or parsed.get("date_agreed") or (rows[0].get("date") if rows else None)


def version_label(written: str) -> str:
    """'2.1' from a version table reads 'Version 2.1'; 'V3' or 'Draft 2' stay as written."""
    written = (written or "").strip()
    return f"Version {written}" if re.fullmatch(r"\d+(?:\.\d+)*", written) else written


@one_change()
def imported_document_save_draft(
    *,
    user,
    imported: ImportedDocument,
    title: str,
    party_boards=(),
    glossary_terms=(),
    use_document_date: bool = False,
):
    """Save the document as a draft with the parties, glossary entries and date accepted (and nothing
    else suggested). Returns the protocol."""
    return imported_document_confirm(
        user=user,
        imported=imported,
        choices=ImportChoices(
            title=title,
            party_boards=list(party_boards),
            glossary_terms=list(glossary_terms),
            use_document_date=use_document_date,
        ),
    )


def _check_choices(imported: ImportedDocument, choices: ImportChoices) -> dict:
    """The suggestions by id; ValidationError for a choice the review did not offer."""
    suggestions = {s["id"]: s for s in import_suggestions(imported)["relations"]}
    errors = {}
    for name in ("obligations", "relations"):
        unknown = [
            str(item.get("suggestion")) for item in getattr(choices, name) if item.get("suggestion") not in suggestions
        ]
        if unknown:
            errors[name] = f"Not suggestions of this document: {', '.join(unknown)}"
    rows = imported.parsed.get("past_versions", [])
    for item in choices.past_versions:
        if not 0 <= int(item.get("index", -1)) < len(rows):
            errors["past_versions"] = f"The document's version table has {len(rows)} rows"
    stated = imported.parsed.get("approvals", [])
    for item in choices.approvals:
        if not 0 <= int(item.get("index", -1)) < len(stated):
            errors["approvals"] = f"The document states {len(stated)} approval{'s' if len(stated) != 1 else ''}"
        elif item.get("board") in (None, ""):
            errors["approvals"] = "Choose the party each approval you tick is for"
    if choices.approvals and not choices.save_as_past:
        errors["approvals"] = (
            "Approvals the document states are recorded when you save it as an agreed past version; "
            "a draft collects its approvals when it is sent for approval"
        )
    if choices.save_as_past:
        if choices.past_status not in ProtocolVersion.PAST:
            errors["past_status"] = "Choose whether this version was agreed or circulated as a draft"
        if not choices.past_label.strip():
            errors["past_label"] = "Enter the version's name as the document gives it, for example 'Version 3'"
    if errors:
        raise ValidationError(errors)
    return suggestions


@one_change()
def imported_document_confirm(*, user, imported: ImportedDocument, choices: ImportChoices):
    """Save a reviewed import: a new protocol (or, for an upload on an existing protocol, its next
    version) holding the document's sections and clauses as written, with what the business manager
    accepted: parties (from the register or new), glossary entries, the date at its precision,
    reporting obligations and relations linked to their clauses, the rows of the version table as
    past versions; then either left as a draft or recorded as a past version itself. What was not
    accepted leaves nothing. Returns the protocol."""
    imported = ImportedDocument.objects.select_for_update().get(pk=imported.pk)
    if imported.version_id is not None:
        raise ValidationError("This document has already been saved.")
    suggestions = _check_choices(imported, choices)
    boards = _BoardResolver(user=user, area=imported.area)
    parties = [*choices.party_boards, *(boards.resolve(name) for name in choices.new_parties if name.strip())]
    if imported.protocol_id is None:
        protocol = services.protocol_create(user=user, area=imported.area, title=choices.title, party_boards=parties)
        version = protocol.versions.get()
        message = f"Draft imported from {imported.filename}"
    else:
        protocol, version = _next_version(user=user, imported=imported, title=choices.title, parties=parties)
        message = f"Version {version.number} imported from {imported.filename}"
    clauses = _fill_version(
        user=user,
        imported=imported,
        version=version,
        glossary_terms=choices.glossary_terms,
        use_document_date=choices.use_document_date,
    )

    def resolved(item, keys):
        out = {**item, "clause": clauses.get(int(str(item["suggestion"]).split("-")[0]))}
        for key in keys:
            value = item.get(key)
            if isinstance(value, list):
                out[key] = [boards.resolve(ref) for ref in value if ref not in (None, "")]
            else:
                out[key] = boards.resolve(value) if value not in (None, "") else None
        out["sentence"] = suggestions[item["suggestion"]]["sentence"]
        return out

    import_confirmed.send(
        sender=ImportedDocument,
        imported=imported,
        version=version,
        user=user,
        obligations=[resolved(item, ("senders", "recipients")) for item in choices.obligations],
        relations=[resolved(item, ("subject", "object")) for item in choices.relations],
    )
    rows = imported.parsed.get("past_versions", [])
    for item in sorted(choices.past_versions, key=lambda item: int(item["index"])):
        row = rows[int(item["index"])]
        day, precision = _precision_date(row.get("date"))
        try:
            services.version_record_past(
                user=user,
                protocol=protocol,
                status=item.get("status") or "",
                label=version_label(row["version"]),
                title=version.title,
                document_date=day,
                document_date_precision=precision or DatePrecision.DAY,
                change_summary=row.get("notes", ""),
            )
        except ValidationError as error:
            where = f"{version_label(row['version'])} in the version table"
            raise ValidationError([f"{where}: {message}" for message in error.messages]) from error
    if choices.save_as_past:
        version.refresh_from_db()
        version = services.version_record_past(
            user=user,
            protocol=protocol,
            status=choices.past_status,
            label=version_label(choices.past_label),
            draft=version,
            approvals_as_written=_approvals_as_written(imported, choices, version, boards),
        )
        message = f"Version {version.number} recorded from {imported.filename} as written"
    record_update(
        user=user,
        obj=imported,
        fields={"protocol": protocol, "version": version, "saved_at": timezone.now()},
        validate=False,
        action=Action.CREATE,
        message=message[:300],
    )
    return protocol


def _approvals_as_written(imported, choices, version, boards) -> list[dict]:
    """The ticked approvals the document states, each on its party's row of the version being saved."""
    stated = imported.parsed.get("approvals", [])
    parties = {party.board_id: party for party in version.parties.select_related("board")}
    written = []
    for item in sorted(choices.approvals, key=lambda item: int(item["index"])):
        approval = stated[int(item["index"])]
        board = boards.resolve(item["board"])
        if board.pk not in parties:
            raise ValidationError(
                {"approvals": f"{board.name} is not a party: tick it among the parties to record its approval"}
            )
        day, precision = _precision_date(approval.get("date"))
        written.append(
            {
                "party": parties[board.pk],
                "signatory_name": approval.get("signatory") or "",
                "approved_on": day,
                "approved_precision": precision or DatePrecision.DAY,
                "source": approval.get("source") or "",
            }
        )
    return written


class _BoardResolver:
    """A board of the area's register, or one added to it as new on confirmation (once per name)."""

    def __init__(self, *, user, area):
        self.user, self.area = user, area
        self.register = {board.pk: board for board in area.boards.all()}
        self.created: dict[str, Board] = {}

    def resolve(self, ref):
        if isinstance(ref, Board):
            return ref
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            board = self.register.get(int(ref))
            if board is None:
                raise ValidationError(f"Board {ref} is not in {self.area.name}'s register.")
            return board
        name = re.sub(r"^the\s+", "", str(ref).strip(), flags=re.IGNORECASE)[:250]
        for board in self.register.values():
            if name.lower() in (board.name.lower(), (board.short_name or "").lower()):
                return board
        if name.lower() not in self.created:
            slug, n = slugify(name)[:240] or "board", 2
            while Board.objects.filter(slug=slug).exists():
                slug, n = f"{slugify(name)[:240]}-{n}", n + 1
            self.created[name.lower()] = board_create(
                user=self.user, name=name, kind=Board.Kind.OTHER, areas=[self.area], slug=slug
            )
        return self.created[name.lower()]


def _next_version(*, user, imported, title, parties):
    """A new draft version of the upload's protocol holding the document's text in place of the
    last version's: the review starts as the editor's 'Start review' does, the copied sections are
    replaced by the document's, the accepted parties added. Refused while a draft is open."""
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
    for board in parties:
        if board.pk not in present:
            present.add(board.pk)
            services.party_add(user=user, version=version, board=board)
    return protocol, version


def _fill_version(*, user, imported, version, glossary_terms, use_document_date) -> dict:
    """The document's sections and clauses, accepted glossary entries and date, into a draft.
    Returns the saved clauses by their place in the document (the index suggestions are keyed by)."""
    parsed = imported.parsed
    places = {id(clause): index for index, (_, clause) in enumerate(_walk(parsed))}
    saved: dict[int, object] = {}
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
        _save_clauses(user=user, section=target, clauses=section["clauses"], parent=None, places=places, saved=saved)
    chosen = {int(i) for i in glossary_terms}
    seen = {term.lower() for term in version.glossary_entries.values_list("term", flat=True)}
    for index, (term, meaning) in enumerate(parsed["glossary"]):
        if index in chosen and term.lower() not in seen:
            seen.add(term.lower())
            entry = GlossaryEntry(version=version, term=term[:60], meaning=meaning[:300])
            record_create(user=user, obj=entry, validate=False, audit_fields=("term", "meaning"))
    if use_document_date:
        day, precision = _precision_date(proposed_date(parsed))
        if day is not None:
            record_update(
                user=user,
                obj=version,
                fields={"document_date": day, "document_date_precision": precision},
                validate=False,
            )
    return saved


def _save_clauses(*, user, section, clauses, parent, places, saved):
    for clause in clauses:
        made = services.clause_create(
            user=user, section=section, text=_clause_html(clause), number=clause["number"], parent=parent
        )
        saved[places[id(clause)]] = made
        _save_clauses(user=user, section=section, clauses=clause["children"], parent=made, places=places, saved=saved)
