"""An idempotent vocabulary for writing demo data: every call creates a record or updates it in place.

Records are found by natural keys (slugs, titles, clause keys), so loading twice changes nothing.
The demo modules beside this one describe each seed protocol in the project's own words.

A version that was already stored as agreed (or superseded) is the signed record: when the demo would
add, change or remove anything in it, the builder raises VersionLocked instead, and `load_demo` keeps the
stored protocol as it is. `prune()` removes what an earlier release of the demo recorded for a version
that the demo no longer states (an invented glossary entry, say), so a draft follows the demo exactly.
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
    ObligationSender,
    Priority,
    PriorityLead,
    Relation,
    ReportingObligation,
)
from boards.models import Area, Board, DatePrecision, Membership, Person, Post, PostHolding
from core.exceptions import VersionLocked
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
    """Keyword arguments for a board-or-post end: _ends('holder', board) -> {'holder_board': board, 'holder_post': None}."""
    prefix = f"{prefix}_" if prefix else ""
    if isinstance(party, Board):
        return {f"{prefix}board": party, f"{prefix}post": None}
    if isinstance(party, Post):
        return {f"{prefix}board": None, f"{prefix}post": party}
    raise TypeError(f"{party!r} is neither a Board nor a Post")


def _refuse(model, frozen):
    if frozen:
        raise VersionLocked(
            f"The demo's {model._meta.verbose_name} differs from the stored agreed version, which cannot change."
        )


def _upsert(model, defaults=None, frozen=False, **lookup):
    """Like update_or_create, but saves only when a value differs, so a second load writes nothing.

    frozen: the record belongs to a stored agreed version, so creating or changing it raises VersionLocked.
    """
    defaults = defaults or {}
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        _refuse(model, frozen)
        return model.objects.create(**lookup, **defaults), True
    changed = [name for name, value in defaults.items() if getattr(obj, name) != value]
    if changed:
        _refuse(model, frozen)
        for name in changed:
            setattr(obj, name, defaults[name])
        obj.save()
    return obj, False


def _set_related(manager, objects, frozen=False):
    """manager.set(objects), refusing a change to a stored agreed version's record."""
    if frozen and {o.pk for o in manager.all()} != {o.pk for o in objects}:
        _refuse(manager.model, frozen)
    manager.set(objects)


def _sync_children(queryset, model, rows, frozen=False):
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
    _refuse(model, frozen)
    queryset.delete()
    model.objects.bulk_create(model(**row) for row in rows)


# What a demo version holds besides its sections and clauses; prune() removes rows the demo no longer states.
VERSION_RECORDS = (GlossaryEntry, Duty, ReportingObligation, Relation, Meeting, EscalationRoute, Priority)


class DemoBuilder:
    def __init__(self):
        self._positions = {}
        self._frozen = set()  # ids of versions already stored as agreed or superseded
        self._versions = set()  # ids of versions written since the last prune()
        self._boards = set()
        self._kept = {}  # model -> ids of the rows written since the last prune()

    def _keep(self, obj):
        self._kept.setdefault(type(obj), set()).add(obj.pk)
        return obj

    def _is_frozen(self, version):
        return version.pk in self._frozen

    def prune(self):
        """Remove what the versions and boards written since the last call hold but the demo no longer states.

        Raises VersionLocked, leaving the rows in place, when such a row belongs to a stored agreed version.
        """
        stale = [
            row
            for model in VERSION_RECORDS
            for row in model.objects.filter(version__in=self._versions).exclude(pk__in=self._kept.get(model, ()))
        ]
        stale += list(
            ClauseCitation.objects.filter(clause__section__version__in=self._versions).exclude(
                pk__in=self._kept.get(ClauseCitation, ())
            )
        )
        if any(self._version_id(row) in self._frozen for row in stale):
            raise VersionLocked("The stored agreed version records what the demo no longer states; it cannot change.")
        for row in stale:
            row.delete()
        for basis in BoardLegalBasis.objects.filter(board__in=self._boards).exclude(
            pk__in=self._kept.get(BoardLegalBasis, ())
        ):
            basis.delete()
        self._versions, self._boards, self._kept = set(), set(), {}

    @staticmethod
    def _version_id(row):
        return row.clause.section.version_id if isinstance(row, ClauseCitation) else row.version_id

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
        self._boards.add(board.pk)
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

    def forget_person(self, name):
        """Remove a person an earlier release recorded (with their holdings), when this one no longer does."""
        Person.objects.filter(name=name).delete()

    def holding(self, person, post, start=None, note=""):
        """person is None when the source names no holder; start is a (date, precision) pair from
        partial_date(), or None when unknown."""
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
        return self._keep(basis)

    def cite(self, clause, *references):
        frozen = clause.section.version_id in self._frozen
        for reference in references:
            citation, _ = _upsert(ClauseCitation, frozen=frozen, clause=clause, legal_reference=reference)
            self._keep(citation)

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
        stored = ProtocolVersion.objects.filter(protocol=protocol, number=number).first()
        if stored is not None and stored.is_locked:
            self._frozen.add(stored.pk)
        version, _ = _upsert(ProtocolVersion, protocol=protocol, number=number, defaults=defaults)
        self._versions.add(version.pk)
        return version

    def section(self, version, key, heading, number="", kind=Section.Kind.BODY, part=""):
        section, _ = _upsert(
            Section,
            frozen=self._is_frozen(version),
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
            frozen=section.version_id in self._frozen,
            section=section,
            key=key,
            defaults={"text": text, "number": number, "parent": parent, "position": position},
        )
        return clause

    def party(self, version, board, signatory_post=None):
        party, _ = _upsert(
            Party,
            frozen=self._is_frozen(version),
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
        """approved is a (date, precision) pair from partial_date(), or None when the protocol states no date."""
        approved_on, precision = approved if approved else (None, DatePrecision.DAY)
        approval, _ = _upsert(
            Approval,
            frozen=party.version_id in self._frozen,
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
        entry, _ = _upsert(
            GlossaryEntry, frozen=self._is_frozen(version), version=version, term=term, defaults={"meaning": meaning}
        )
        return self._keep(entry)

    # Who owes what to whom ----------------------------------------------------------------------

    def duty(self, version, clause, holder, description, kind=Duty.Kind.FUNCTION, references=()):
        frozen = self._is_frozen(version)
        duty, _ = _upsert(
            Duty,
            frozen=frozen,
            version=version,
            description=description,
            **_ends("holder", holder),
            defaults={"source_clause": clause, "kind": kind},
        )
        _set_related(duty.legal_references, references, frozen)
        return self._keep(duty)

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
        """window is (first month, last month), e.g. (9, 11) for September to November; it may wrap (10, 2).

        sender is a board or post, a list of them when they send jointly, or None when the text names none.
        """
        start, end = window if window else (None, None)
        frozen = self._is_frozen(version)
        senders = [] if sender is None else list(sender) if isinstance(sender, (list, tuple)) else [sender]
        # Several obligations may share a title and clause (each H&WB liaising), told apart by who sends them.
        wanted = sorted((type(s).__name__, s.pk) for s in senders)
        same_senders = [
            o.pk
            for o in ReportingObligation.objects.filter(version=version, title=title, source_clause=clause)
            if sorted((type(s).__name__, s.pk) for s in o.sender_parties) == wanted
        ]
        obligation, _ = _upsert(
            ReportingObligation,
            frozen=frozen,
            version=version,
            title=title,
            source_clause=clause,
            pk=same_senders[0] if same_senders else None,
            defaults={
                "subject": subject,
                "frequency": frequency,
                "window_start_month": start,
                "window_end_month": end,
                "presenter": presenter,
                "description": description,
            },
        )
        _sync_children(
            obligation.senders.all(),
            ObligationSender,
            [{"obligation": obligation, **_ends("", s)} for s in senders],
            frozen,
        )
        _sync_children(
            obligation.recipients.all(),
            ObligationRecipient,
            [{"obligation": obligation, **_ends("", r)} for r in recipients],
            frozen,
        )
        return self._keep(obligation)

    def relation(
        self, version, clause, subject, kind, object, description="", frequency="", negated=False, symmetric=False
    ):
        """negated for a relation the text denies ("is not subordinate to"), symmetric for one both ways ("equal
        partners")."""
        relation, _ = _upsert(
            Relation,
            frozen=self._is_frozen(version),
            version=version,
            kind=kind,
            negated=negated,
            **_ends("subject", subject),
            **_ends("object", object),
            defaults={
                "source_clause": clause,
                "description": description,
                "frequency": frequency,
                "symmetric": symmetric,
            },
        )
        return self._keep(relation)

    def meeting(self, version, clause, title, frequency, participants, agenda=(), purpose=""):
        frozen = self._is_frozen(version)
        meeting, _ = _upsert(
            Meeting,
            frozen=frozen,
            version=version,
            title=title,
            defaults={"source_clause": clause, "frequency": frequency, "purpose": purpose},
        )
        _set_related(meeting.participant_posts, [p for p in participants if isinstance(p, Post)], frozen)
        _set_related(meeting.participant_boards, [p for p in participants if isinstance(p, Board)], frozen)
        _sync_children(
            meeting.agenda_items.all(),
            AgendaItem,
            [{"meeting": meeting, "text": text, "position": i} for i, text in enumerate(agenda)],
            frozen,
        )
        return self._keep(meeting)

    def escalation(self, version, clause, title, steps, description=""):
        """steps: a list of (description, [boards and posts]) in order."""
        frozen = self._is_frozen(version)
        route, _ = _upsert(
            EscalationRoute,
            frozen=frozen,
            version=version,
            title=title,
            defaults={"source_clause": clause, "description": description},
        )
        extra_steps = route.steps.exclude(order__lte=len(steps))
        if extra_steps.exists():
            _refuse(EscalationStep, frozen)
            extra_steps.delete()
        for order, (text, who) in enumerate(steps, start=1):
            step, _ = _upsert(EscalationStep, frozen=frozen, route=route, order=order, defaults={"description": text})
            _set_related(step.posts, [p for p in who if isinstance(p, Post)], frozen)
            _set_related(step.boards, [p for p in who if isinstance(p, Board)], frozen)
        return self._keep(route)

    def priority(self, version, clause, number, title, leads=(), parent=None, period=""):
        """leads: a list of (board or label, role), e.g. [(cpb, 'plan and monitor'), ('Individual partners', '')]."""
        frozen = self._is_frozen(version)
        priority, _ = _upsert(
            Priority,
            frozen=frozen,
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
            frozen,
        )
        return self._keep(priority)
