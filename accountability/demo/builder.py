"""An idempotent vocabulary for writing demo data: every call creates a record or updates it in place.

Records are found by natural keys (slugs, titles, clause keys), so loading twice changes nothing.
The demo modules beside this one describe each seed protocol in the project's own words.
"""

import datetime

from django.utils.text import slugify

from accountability.models import (
    AgendaItem,
    BoardLegalBasis,
    ClauseCitation,
    Duty,
    EscalationRoute,
    EscalationStep,
    LegalInstrument,
    LegalReference,
    Meeting,
    ObligationRecipient,
    Priority,
    PriorityLead,
    Relation,
    ReportingObligation,
)
from boards.models import Area, Board, DatePrecision, Membership, Person, Post, PostHolding
from protocols.models import Approval, Clause, GlossaryEntry, Party, Protocol, ProtocolVersion, Section

DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR


def partial_date(year, month=None, day=None):
    """(date, precision) for a date known only as precisely as given: partial_date(2015, 6) is June 2015."""
    if month is None:
        return datetime.date(year, 1, 1), YEAR
    if day is None:
        return datetime.date(year, month, 1), MONTH
    return datetime.date(year, month, day), DAY


def _ends(prefix, party):
    """Keyword arguments for a board-or-post end: _ends('from', board) -> {'from_board': board, 'from_post': None}."""
    prefix = f"{prefix}_" if prefix else ""
    if isinstance(party, Board):
        return {f"{prefix}board": party, f"{prefix}post": None}
    if isinstance(party, Post):
        return {f"{prefix}board": None, f"{prefix}post": party}
    raise TypeError(f"{party!r} is neither a Board nor a Post")


def _upsert(model, defaults=None, **lookup):
    """Like update_or_create, but saves only when a value differs, so a second load writes nothing."""
    defaults = defaults or {}
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **defaults), True
    changed = [name for name, value in defaults.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, defaults[name])
        obj.save()
    return obj, False


def _sync_children(queryset, model, rows):
    """Make a parent's child rows equal `rows`, leaving them untouched (same ids) when they already are."""
    fields = sorted({key for row in rows for key in row})

    def as_tuple(values):
        return tuple(
            getattr(values, f"{f}_id", None) if hasattr(values, f"{f}_id") else getattr(values, f) for f in fields
        )

    def row_tuple(row):
        return tuple(getattr(row[f], "pk", row[f]) for f in fields)

    # Rows mixing boards and posts hold None beside ids; sorting by repr keeps them comparable.
    existing = sorted((as_tuple(obj) for obj in queryset), key=repr)
    wanted = sorted((row_tuple(row) for row in rows), key=repr)
    if existing == wanted:
        return
    queryset.delete()
    model.objects.bulk_create(model(**row) for row in rows)


class DemoBuilder:
    def __init__(self):
        self._positions = {}

    def _next_position(self, key):
        self._positions[key] = self._positions.get(key, -1) + 1
        return self._positions[key]

    # Who exists ---------------------------------------------------------------------------

    def area(self, slug, name, **fields):
        area, _ = _upsert(Area, slug=slug, defaults={"name": name, **fields})
        return area

    def board(self, slug, name, kind, areas, parent=None, **fields):
        board, _ = _upsert(Board, slug=slug, defaults={"name": name, "kind": kind, "parent": parent, **fields})
        board.areas.set(areas)
        return board

    def post(self, title, kind, area=None, board=None, short_title="", organisation=""):
        post, _ = _upsert(
            Post,
            title=title,
            area=area,
            defaults={"kind": kind, "board": board, "short_title": short_title, "organisation": organisation},
        )
        return post

    def person(self, name, honorific=""):
        person, _ = _upsert(Person, name=name, defaults={"honorific": honorific})
        return person

    def holding(self, person, post, start=None, note=""):
        """start is a (date, precision) pair from partial_date(), or None when unknown."""
        start_date, precision = start if start else (None, DAY)
        holding, _ = _upsert(
            PostHolding,
            person=person,
            post=post,
            defaults={"start_date": start_date, "start_precision": precision, "note": note},
        )
        return holding

    def membership(self, board, capacity=Membership.Capacity.MEMBER, post=None, organisation="", note=""):
        membership, _ = _upsert(
            Membership, board=board, post=post, organisation=organisation, defaults={"capacity": capacity, "note": note}
        )
        return membership

    # Law ------------------------------------------------------------------------------------

    def instrument(self, title, kind, year=None, url="", short_title=""):
        instrument, _ = _upsert(
            LegalInstrument, title=title, defaults={"kind": kind, "year": year, "url": url, "short_title": short_title}
        )
        return instrument

    def reference(self, instrument, provision="", url="", summary=""):
        reference, _ = _upsert(
            LegalReference, instrument=instrument, provision=provision, defaults={"url": url, "summary": summary}
        )
        return reference

    def board_basis(self, board, reference, note=""):
        basis, _ = _upsert(BoardLegalBasis, board=board, legal_reference=reference, defaults={"note": note})
        return basis

    def cite(self, clause, *references):
        for reference in references:
            ClauseCitation.objects.get_or_create(clause=clause, legal_reference=reference)

    # What was agreed --------------------------------------------------------------------------

    def protocol(self, slug, title, area, **fields):
        protocol, _ = _upsert(Protocol, slug=slug, defaults={"title": title, "area": area, **fields})
        return protocol

    def version(self, protocol, number, title, status, document_date=None, effective=None, **fields):
        """document_date and effective are (date, precision) pairs from partial_date(), or None."""
        defaults = {"title": title, "status": status, **fields}
        if document_date:
            defaults["document_date"], defaults["document_date_precision"] = document_date
        if effective:
            defaults["effective_date"], defaults["effective_date_precision"] = effective
        version, _ = _upsert(ProtocolVersion, protocol=protocol, number=number, defaults=defaults)
        return version

    def section(self, version, key, heading, number="", kind=Section.Kind.BODY, part=""):
        section, _ = _upsert(
            Section,
            version=version,
            key=key,
            defaults={
                "heading": heading,
                "number": number,
                "kind": kind,
                "part": part,
                "position": self._next_position(("section", version.pk)),
            },
        )
        return section

    def clause(self, section, text, number="", parent=None, key=None):
        """Add a clause in reading order. Text is HTML; plain text is wrapped in a paragraph."""
        position = self._next_position(("clause", section.pk))
        if key is None:
            key = f"{section.key}-{slugify(number) or f'p{position}'}"
            if parent is not None:
                key = f"{parent.key}-{slugify(number) or f'p{position}'}"
        if not text.lstrip().startswith("<"):
            text = f"<p>{text}</p>"
        clause, _ = _upsert(
            Clause,
            section=section,
            key=key,
            defaults={"text": text, "number": number, "parent": parent, "position": position},
        )
        return clause

    def party(self, version, board, signatory_post=None):
        party, _ = _upsert(
            Party,
            version=version,
            board=board,
            defaults={"signatory_post": signatory_post, "position": self._next_position(("party", version.pk))},
        )
        return party

    def approval(
        self,
        party,
        approved,
        signatory_name="",
        signatory_post_title="",
        signatory_post=None,
        signatory_person=None,
        note="",
    ):
        """approved is a (date, precision) pair from partial_date()."""
        approved_on, precision = approved
        approval, _ = _upsert(
            Approval,
            party=party,
            withdrawn_at=None,
            defaults={
                "approved_on": approved_on,
                "approved_precision": precision,
                "signatory_name": signatory_name,
                "signatory_post_title": signatory_post_title,
                "signatory_post": signatory_post,
                "signatory_person": signatory_person,
                "signature_kind": Approval.SignatureKind.NONE,
                "note": note,
            },
        )
        return approval

    def glossary(self, version, term, meaning):
        entry, _ = _upsert(GlossaryEntry, version=version, term=term, defaults={"meaning": meaning})
        return entry

    # Who owes what to whom ----------------------------------------------------------------------

    def duty(self, version, clause, holder, description, kind=Duty.Kind.FUNCTION, references=()):
        duty, _ = _upsert(
            Duty,
            version=version,
            description=description,
            **_ends("holder", holder),
            defaults={"source_clause": clause, "kind": kind},
        )
        duty.legal_references.set(references)
        return duty

    def obligation(
        self,
        version,
        clause,
        sender,
        title,
        subject,
        frequency,
        recipients,
        window=None,
        presenter=None,
        description="",
    ):
        """window is (first month, last month), e.g. (9, 11) for September to November; it may wrap (10, 2)."""
        start, end = window if window else (None, None)
        obligation, _ = _upsert(
            ReportingObligation,
            version=version,
            title=title,
            **_ends("from", sender),
            defaults={
                "source_clause": clause,
                "subject": subject,
                "frequency": frequency,
                "window_start_month": start,
                "window_end_month": end,
                "presenter": presenter,
                "description": description,
            },
        )
        _sync_children(
            obligation.recipients.all(),
            ObligationRecipient,
            [{"obligation": obligation, **_ends("", r)} for r in recipients],
        )
        return obligation

    def relation(self, version, clause, subject, kind, object, description="", frequency=""):
        relation, _ = _upsert(
            Relation,
            version=version,
            kind=kind,
            **_ends("subject", subject),
            **_ends("object", object),
            defaults={"source_clause": clause, "description": description, "frequency": frequency},
        )
        return relation

    def meeting(self, version, clause, title, frequency, participants, agenda=(), purpose=""):
        meeting, _ = _upsert(
            Meeting,
            version=version,
            title=title,
            defaults={"source_clause": clause, "frequency": frequency, "purpose": purpose},
        )
        meeting.participant_posts.set([p for p in participants if isinstance(p, Post)])
        meeting.participant_boards.set([p for p in participants if isinstance(p, Board)])
        _sync_children(
            meeting.agenda_items.all(),
            AgendaItem,
            [{"meeting": meeting, "text": text, "position": i} for i, text in enumerate(agenda)],
        )
        return meeting

    def escalation(self, version, clause, title, steps, description=""):
        """steps: a list of (description, [boards and posts]) in order."""
        route, _ = _upsert(
            EscalationRoute,
            version=version,
            title=title,
            defaults={"source_clause": clause, "description": description},
        )
        route.steps.exclude(order__lte=len(steps)).delete()
        for order, (text, who) in enumerate(steps, start=1):
            step, _ = _upsert(EscalationStep, route=route, order=order, defaults={"description": text})
            step.posts.set([p for p in who if isinstance(p, Post)])
            step.boards.set([p for p in who if isinstance(p, Board)])
        return route

    def priority(self, version, clause, number, title, leads=(), parent=None, period=""):
        """leads: a list of (board or label, role), e.g. [(cpb, 'plan and monitor'), ('Individual partners', '')]."""
        priority, _ = _upsert(
            Priority,
            version=version,
            number=number,
            parent=parent,
            defaults={
                "source_clause": clause,
                "title": title,
                "period": period,
                "position": self._next_position(("priority", version.pk)),
            },
        )
        _sync_children(
            priority.leads.all(),
            PriorityLead,
            [
                {
                    "priority": priority,
                    "board": lead if isinstance(lead, Board) else None,
                    "lead_label": "" if isinstance(lead, Board) else lead,
                    "role": role,
                    "position": i,
                }
                for i, (lead, role) in enumerate(leads)
            ],
        )
        return priority
