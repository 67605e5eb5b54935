"""What was agreed: protocols, their versions, sections, clauses, parties and approvals."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from boards.models import (
    Area,
    Board,
    DatePrecision,
    Person,
    Post,
    Revisioned,
    format_partial_date,
    partial_date_constraint,
    partial_date_phrase,
)
from core.addresses import page_path
from core.exceptions import VersionLocked
from core.text import NOT_STATED
from core.writes import forget_for_change, kept_for_change, locks_apply

from .sanitize import html_to_text, one_line, rich_text_html


def _field_values(obj, names):
    return tuple(getattr(obj, name) for name in names)


def guard_locked_save(obj, version_id, content_fields):
    """Refuse changing a row of an agreed or superseded version, so even ORM code and the admin cannot.

    Adding rows is allowed (an agreed paper document is entered row by row, and test factories build
    agreed versions that way); changing or removing what is recorded is not. Saving unchanged values
    (an idempotent re-import) is allowed.
    """
    if obj.pk is None or not locks_apply():
        return
    model = type(obj)
    stored = model.objects.filter(pk=obj.pk).values_list(*content_fields).first()
    if stored is None:
        return
    if tuple(stored) == _field_values(obj, content_fields):
        return
    old_version_id = model.objects.filter(pk=obj.pk).values_list(_version_path(model), flat=True).first()
    locked = ProtocolVersion.objects.filter(pk__in={version_id, old_version_id}).locked().exists()
    if locked:
        raise VersionLocked(f"{model._meta.verbose_name.capitalize()} belongs to an agreed version and cannot change.")


def guard_locked_delete(obj, version_id):
    if locks_apply() and ProtocolVersion.objects.filter(pk=version_id).locked().exists():
        raise VersionLocked(
            f"{type(obj)._meta.verbose_name.capitalize()} belongs to an agreed version; it cannot be deleted."
        )


def _version_path(model):
    return f"{model.VERSION_PATH}_id"


class LockedContentQuerySet(models.QuerySet):
    """Bulk writes refuse rows of agreed or superseded versions, as each row's save() and delete() do.

    The model names the path from a row to its version in VERSION_PATH. On PostgreSQL a trigger
    refuses the same in SQL (protocols migration 0006), so no path at all can change what was agreed.
    """

    def _refuse_locked_rows(self, verb, queryset=None, moved_to=None):
        if not locks_apply():
            return
        path = self.model.VERSION_PATH
        rows = self if queryset is None else queryset
        locked = rows.filter(**{f"{path}__in": ProtocolVersion.objects.locked()}).exists()
        if not locked and moved_to is not None:
            locked = ProtocolVersion.objects.filter(pk=moved_to).locked().exists()
        if locked:
            label = self.model._meta.verbose_name_plural
            raise VersionLocked(f"Some of these {label} belong to an agreed version; they cannot be {verb}.")

    def _target_version(self, values):
        if self.model.VERSION_PATH != "version":
            return None
        value = values.get("version", values.get("version_id"))
        return getattr(value, "pk", value)

    def update(self, **kwargs):
        self._refuse_locked_rows("changed", moved_to=self._target_version(kwargs))
        return super().update(**kwargs)

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        self._refuse_locked_rows("changed", queryset=self.model._default_manager.filter(pk__in=[o.pk for o in objs]))
        return super().bulk_update(objs, fields, batch_size=batch_size)

    bulk_update.alters_data = True

    def delete(self):
        self._refuse_locked_rows("deleted")
        return super().delete()

    delete.alters_data = True


OPEN_VERSIONS = "open versions"


def refuse_if_locked(version_id):
    """The write path's guard for a record of a version: refuse when that version is agreed or superseded.

    Within one change of many rows (core.writes.one_change) a version found open is not asked about again
    until a version is saved, which is how a version stops being open.
    """
    if version_id is None:
        return
    seen_open = kept_for_change(OPEN_VERSIONS)
    if seen_open is not None and version_id in seen_open:
        return
    version = ProtocolVersion.objects.filter(pk=version_id).only("number", "status").first()
    if version is not None:
        version.refuse_changes()
        if seen_open is not None:
            seen_open[version_id] = True


def version_scope(version_id):
    """Where a change to a version's record shows: that version's protocol's audit trail."""
    protocol_id = ProtocolVersion.objects.filter(pk=version_id).values_list("protocol_id", flat=True).first()
    return {"protocol_id": protocol_id, "version_id": version_id}


def new_key():
    """A short stable identifier for a section or clause that survives renumbering and new versions."""
    return uuid.uuid4().hex[:12]


class ProtocolQuerySet(models.QuerySet):
    def in_area(self, area):
        return self.filter(Q(area=area) | Q(versions__parties__board__areas=area)).distinct()


class Protocol(Revisioned):
    """The work: one agreement between boards, which lives through many versions."""

    title = models.CharField(max_length=300)
    short_title = models.CharField(max_length=120, blank=True)
    slug = models.SlugField(max_length=120, unique=True)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="protocols", help_text="The area that keeps it."
    )
    summary = models.TextField(blank=True)
    review_cycle_months = models.PositiveSmallIntegerField(
        null=True, blank=True, default=12, help_text="Months between reviews; empty when only reviewed on events."
    )
    review_on_legislation_change = models.BooleanField(
        default=False, help_text="Also reviewed when legislation changes."
    )
    review_on_guidance_change = models.BooleanField(
        default=False, help_text="Also reviewed when national guidance changes."
    )
    review_note = models.TextField(blank=True, help_text="Other review triggers as the protocol states them.")
    review_requested_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when a review was triggered by hand, e.g. after legislation changed."
    )
    review_requested_reason = models.CharField(max_length=300, blank=True)

    objects = ProtocolQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_cycle_months__isnull=True) | Q(review_cycle_months__gte=1),
                name="review_cycle_positive",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.short_title or self.title)[:120]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("protocols:protocol_detail", kwargs={"slug": self.slug})

    def refuse_locked(self, fields=()):
        """A protocol with an agreed or superseded version is part of the record: it cannot be deleted."""
        if fields is None and self.pk is not None and self.versions.locked().exists():
            raise VersionLocked("This protocol has agreed versions, which are the signed record: it cannot be deleted.")

    def audit_scope(self):
        return {"protocol_id": self.pk}

    def current_version(self):
        """The agreed version in force, or None. Uses prefetched versions when present."""
        agreed = [v for v in self.versions.all() if v.is_agreed]
        return max(agreed, key=lambda v: v.number) if agreed else None

    def latest_version(self):
        versions = list(self.versions.all())
        return max(versions, key=lambda v: v.number) if versions else None


class ReviewState(models.TextChoices):
    """Where the version in force stands against its review date (ProtocolVersion.review_state)."""

    NONE = "none", "No review date"
    NOT_DUE = "not_due", "Not yet due"
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"


def _warning_days(warning_days=None):
    return settings.REVIEW_WARNING_DAYS if warning_days is None else warning_days


class ProtocolVersionQuerySet(models.QuerySet):
    def open(self):
        """Not yet agreed: being drafted or awaiting approval."""
        return self.filter(status__in=ProtocolVersion.OPEN)

    def locked(self):
        """Agreed or superseded, or recorded from the document's history as never agreed: frozen records."""
        return self.filter(status__in=ProtocolVersion.LOCKED)

    def sealed(self):
        """Agreed or superseded: what was signed, printed with a certificate and sealed."""
        return self.filter(status__in=ProtocolVersion.SEALED)

    def public(self):
        """What anyone, signed in or not, may read."""
        return self.filter(status__in=ProtocolVersion.PUBLIC)

    def agreed(self):
        """The versions in force (at most one per protocol)."""
        return self.filter(status__in=ProtocolVersion.IN_FORCE)

    def awaiting_approval(self):
        """Sent to the parties for approval and not yet agreed."""
        return self.filter(status=ProtocolVersion.Status.AWAITING_APPROVAL)

    def live(self):
        """The version in force and any open draft: everything but superseded history."""
        return self.filter(status__in=ProtocolVersion.LIVE)

    def agreed_first(self):
        """Annotate `agreed_first` (0 for the version in force, 1 otherwise) to order by."""
        in_force = models.When(status__in=ProtocolVersion.IN_FORCE, then=models.Value(0))
        return self.annotate(agreed_first=models.Case(in_force, default=models.Value(1)))

    def review_attention(self, today, warning_days=None):
        """Versions in force whose review_state on `today` is due soon or overdue."""
        horizon = today + datetime.timedelta(days=_warning_days(warning_days))
        return self.agreed().filter(review_due__isnull=False, review_due__lte=horizon)


class ProtocolVersion(Revisioned):
    class Status(models.TextChoices):
        """The states of a version, named here and nowhere else: ask by meaning through the sets below."""

        DRAFT = "draft", "Draft"
        AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
        AGREED = "agreed", "Agreed"
        SUPERSEDED = "superseded", "Superseded"
        # Recorded from a document's own history: sent round and never agreed, or withdrawn before agreement.
        CIRCULATED_DRAFT = "circulated_draft", "Circulated draft, never agreed"
        WITHDRAWN = "withdrawn", "Withdrawn, never agreed"

    # The sets of states the rest of the code asks about, by meaning. Callers use the queryset
    # methods and the is_* properties; these raw values are for constraints and related lookups.
    OPEN = frozenset({Status.DRAFT, Status.AWAITING_APPROVAL})
    SEALED = frozenset({Status.AGREED, Status.SUPERSEDED})  # what was signed: sealed PDF with certificate
    NEVER_AGREED = frozenset({Status.CIRCULATED_DRAFT, Status.WITHDRAWN})  # past versions, never in force
    LOCKED = SEALED | NEVER_AGREED  # frozen records
    PUBLIC = LOCKED  # what was signed is published, and so is the history as the document gives it
    IN_FORCE = frozenset({Status.AGREED})
    LIVE = OPEN | IN_FORCE
    PAST = LOCKED  # what a version recorded from the document's history may be

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    label = models.CharField(max_length=100, blank=True, help_text="As the document names itself, e.g. 'Version 2'.")
    title = models.CharField(max_length=300, help_text="The title as this version states it.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    document_date = models.DateField(null=True, blank=True, help_text="The date printed on the document.")
    document_date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    effective_date = models.DateField(null=True, blank=True, help_text="When it came into force (the last approval).")
    effective_date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    review_due = models.DateField(null=True, blank=True)
    change_summary = models.TextField(blank=True)
    introduction = models.TextField(blank=True, help_text="Preamble before the first numbered section (HTML).")
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="successors")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_for_approval_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True, help_text="When the registry recorded it as agreed.")
    auto_numbering = models.BooleanField(
        default=False, help_text="Number sections and clauses automatically; otherwise numbers are kept as written."
    )
    recorded_as_past = models.BooleanField(
        default=False, help_text="Recorded from the document's own history, without the approval workflow."
    )

    # What may still change once a version is agreed: its move to superseded, and bookkeeping.
    FIELDS_CHANGEABLE_WHEN_LOCKED = {"status", "review_due", "agreed_at", "revision", "updated_at"}

    objects = ProtocolVersionQuerySet.as_manager()

    class Meta:
        ordering = ["protocol", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "number"], name="unique_version_number"),
            models.UniqueConstraint(
                fields=["protocol"], condition=Q(status="agreed"), name="one_agreed_version_per_protocol"
            ),
            models.UniqueConstraint(
                fields=["protocol"],
                condition=Q(status__in=["draft", "awaiting_approval"]),
                name="one_open_version_per_protocol",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
            partial_date_constraint("document_date", "document_date_precision", "version_document_date_precision"),
            partial_date_constraint("effective_date", "effective_date_precision", "version_effective_date_precision"),
        ]

    def __str__(self):
        return f"{self.protocol} – version {self.number} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        self._guard_locked()
        forget_for_change(OPEN_VERSIONS)  # this version may be becoming agreed
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if locks_apply() and ProtocolVersion.objects.filter(pk=self.pk).locked().exists():
            raise VersionLocked("An agreed or superseded version is the signed record; it cannot be deleted.")
        return super().delete(*args, **kwargs)

    def _guard_locked(self):
        """Once agreed, only the step to superseded (and review bookkeeping) may be saved."""
        if self.pk is None or not locks_apply():
            return
        stored = ProtocolVersion.objects.filter(pk=self.pk).first()
        if stored is None or not stored.is_locked:
            return
        changed = {
            f.attname for f in self._meta.concrete_fields if getattr(stored, f.attname) != getattr(self, f.attname)
        } - self.FIELDS_CHANGEABLE_WHEN_LOCKED
        allowed_status = {stored.status}
        if stored.is_sealed:
            allowed_status.add(self.Status.SUPERSEDED)
        if changed or self.status not in allowed_status:
            raise VersionLocked("This version is agreed or superseded: the signed record cannot change.")

    def get_absolute_url(self):
        return page_path("protocols:version_detail", slug=self.protocol.slug, number=self.number)

    def refuse_changes(self):
        if self.is_locked:
            raise VersionLocked(
                f"Version {self.number} is {self.get_status_display().lower()}: it cannot be changed. "
                "Start a review to make a new draft."
            )

    def refuse_locked(self, fields=()):
        """Once agreed, only the step to superseded and review bookkeeping go through the write path."""
        if self.pk is not None and (not fields or set(fields) - self.FIELDS_CHANGEABLE_WHEN_LOCKED):
            self.refuse_changes()

    def audit_scope(self):
        return {"protocol_id": self.protocol_id, "version_id": self.pk}

    @property
    def is_locked(self):
        """Agreed and superseded versions, and past versions recorded as never agreed: frozen records."""
        return self.status in self.LOCKED

    @property
    def is_public(self):
        return self.status in self.PUBLIC

    @property
    def is_open(self):
        """Not yet agreed: being drafted or awaiting approval (printed with a DRAFT mark)."""
        return self.status in self.OPEN

    @property
    def is_sealed(self):
        """Agreed or superseded: what was signed, whose PDF carries the certificate and the seal."""
        return self.status in self.SEALED

    @property
    def never_agreed(self):
        """A circulated draft or a withdrawn version: part of the history as written, never in force."""
        return self.status in self.NEVER_AGREED

    @property
    def is_draft(self):
        """Being drafted: the only state that can be sent for approval."""
        return self.status == self.Status.DRAFT

    @property
    def is_awaiting_approval(self):
        """Sent to the parties: approvals are recorded, and the last one makes it agreed."""
        return self.status == self.Status.AWAITING_APPROVAL

    @property
    def is_agreed(self):
        """The version in force."""
        return self.status in self.IN_FORCE

    @property
    def is_superseded(self):
        return self.status == self.Status.SUPERSEDED

    def review_state(self, today, warning_days=None):
        """Where this version stands against its review date on `today`.

        Only the version in force is reviewed; without a review date there is nothing to be due.
        Due soon from `warning_days` (settings.REVIEW_WARNING_DAYS) before the due date up to and
        including the due date itself; overdue from the day after.
        """
        if not self.is_agreed or self.review_due is None:
            return ReviewState.NONE
        if self.review_due < today:
            return ReviewState.OVERDUE
        if self.review_due <= today + datetime.timedelta(days=_warning_days(warning_days)):
            return ReviewState.DUE_SOON
        return ReviewState.NOT_DUE

    @property
    def effective_date_display(self):
        return format_partial_date(self.effective_date, self.effective_date_precision)

    @property
    def review_due_display(self):
        """A review falls due a cycle after agreement, so it is known only as precisely as that date."""
        precision = self.effective_date_precision if self.effective_date else DatePrecision.DAY
        return format_partial_date(self.review_due, precision)

    @property
    def own_label(self):
        """The document's own name for this version, when it says more than "Version <number>"."""
        if self.label.strip().casefold() in {f"version {self.number}", str(self.number)}:
            return ""
        return self.label

    @property
    def document_date_display(self):
        return format_partial_date(self.document_date, self.document_date_precision)

    @property
    def introduction_html(self):
        """The preamble's sanitised HTML, safe to put in a page as it is."""
        return mark_safe(rich_text_html(self.introduction))  # noqa: S308 - sanitised when saved

    @property
    def agreed_phrase(self):
        """'agreed in June 2015', 'agreed on 24 November 2026', 'agreed in 2013': a month or year takes 'in'."""
        when = partial_date_phrase(self.effective_date, self.effective_date_precision)
        return f"agreed {when}" if when else f"agreed (date {NOT_STATED.lower()})"

    @property
    def agreed_sentence(self):
        """The version page's opening line: 'Agreed in June 2015.', 'Agreed on 24 November 2026.'; '' for drafts."""
        if not self.is_sealed:
            return ""
        phrase = self.agreed_phrase
        agreed = phrase[0].upper() + phrase[1:]
        if self.is_superseded:
            return f"{agreed}, since superseded by a later version."
        return f"{agreed}."

    @property
    def status_phrase(self):
        """How a list names this version's state after its number: 'agreed 24 November 2026', 'draft',
        'superseded, agreed June 2015'; so 'Version 3, agreed 24 November 2026' never says 'agreed' twice."""
        if not self.is_sealed:
            return self.get_status_display().lower()
        if self.effective_date:
            agreed = f"agreed {self.effective_date_display}"
        else:
            agreed = f"agreed (date {NOT_STATED.lower()})"
        if self.is_superseded:
            return f"superseded, {agreed}"
        return agreed

    def content_fingerprint(self):
        """SHA-256 over what was agreed, independent of database ids (protocols.frozen.fingerprint_of).

        An agreed or superseded version's is read from its record of what was agreed, so renaming a board
        later never changes it; any other version's is computed from its rows as they are now.
        """
        from .frozen import document_for

        return document_for(self)[1]


class Section(Revisioned):
    """A numbered or headed part of a version. Appendices are sections with kind APPENDIX."""

    class Kind(models.TextChoices):
        BODY = "body", "Body"
        APPENDIX = "appendix", "Appendix"
        COVERING_REPORT = "covering_report", "Covering report"

    version = models.ForeignKey(ProtocolVersion, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=32, default=new_key, help_text="Stable across renumbering and versions.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BODY)
    part = models.CharField(max_length=120, blank=True, help_text="E.g. 'Appendix 1' when numbering restarts.")
    number = models.CharField(max_length=20, blank=True, help_text="As written: '3', '6', or empty.")
    heading = models.CharField(max_length=300, blank=True, help_text="As written; empty when the document gives none.")
    position = models.PositiveIntegerField(default=0)

    VERSION_PATH = "version"

    objects = LockedContentQuerySet.as_manager()

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="unique_section_key"),
        ]

    CONTENT_FIELDS = ("version_id", "key", "kind", "part", "number", "heading", "position")

    def __str__(self):
        return f"{self.number} {self.heading}".strip() or "Section (heading not stated)"

    def save(self, *args, **kwargs):
        guard_locked_save(self, self.version_id, self.CONTENT_FIELDS)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        guard_locked_delete(self, self.version_id)
        return super().delete(*args, **kwargs)

    def refuse_locked(self, fields=()):
        refuse_if_locked(self.version_id)

    def audit_scope(self):
        return version_scope(self.version_id)

    @property
    def anchor(self):
        return f"s-{self.key}"


class Clause(Revisioned):
    """A clause or sub-clause, numbered as written ('3.6', '(a)', '4.6 c)') or unnumbered (a bullet)."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="clauses")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        help_text="For lettered items and bullets under a numbered clause.",
    )
    key = models.CharField(max_length=32, default=new_key, help_text="Stable across renumbering and versions.")
    number = models.CharField(max_length=20, blank=True)
    text = models.TextField(help_text="Sanitised HTML.")
    position = models.PositiveIntegerField(default=0, help_text="Order within the section, parents before children.")

    VERSION_PATH = "section__version"

    objects = LockedContentQuerySet.as_manager()

    class Meta:
        ordering = ["section", "position"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="clause_not_own_parent"),
        ]

    CONTENT_FIELDS = ("section_id", "parent_id", "key", "number", "text", "position")

    def __str__(self):
        return f"{self.reference} {self.plain_line[:60]}".strip()

    def save(self, *args, **kwargs):
        if self.pk is not None:  # a new row may be added to any version (guard_locked_save)
            guard_locked_save(self, self._version_id(), self.CONTENT_FIELDS)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        guard_locked_delete(self, self._version_id())
        return super().delete(*args, **kwargs)

    def _version_id(self):
        if Clause.section.is_cached(self) and self.section.pk == self.section_id:
            return self.section.version_id  # the section this clause was given: no query
        return Section.objects.filter(pk=self.section_id).values_list("version_id", flat=True).first()

    def refuse_locked(self, fields=()):
        refuse_if_locked(self._version_id())

    def audit_scope(self):
        return version_scope(self._version_id())

    @property
    def anchor(self):
        return f"c-{self.key}"

    @property
    def reference(self):
        """How a reader cites it: '4.6(a)' for item (a) of clause 4.6, else its own number."""
        if self.parent_id and self.parent.number and self.number:
            letter = self.number.strip("().").strip()
            return f"{self.parent.number}({letter})"
        return self.number

    @property
    def html(self):
        """The clause's sanitised HTML, safe to put in a page as it is."""
        return mark_safe(rich_text_html(self.text))  # noqa: S308 - sanitised when saved

    @property
    def plain_text(self):
        """The words as plain text, one line per paragraph or list item; no markup, no entities."""
        return html_to_text(self.text)

    @property
    def plain_line(self):
        """The words on one line, list items joined with '; ': for labels and summaries."""
        return one_line(self.plain_text)

    @property
    def citation(self):
        """How a sentence names it: 'clause 4.6(a)', or for an unnumbered clause its opening words."""
        if self.reference:
            return f"clause {self.reference}"
        from django.utils.text import Truncator

        opening = Truncator(self.plain_line).words(6)
        return f"the clause “{opening}”" if opening else "an unnumbered clause"

    def get_absolute_url(self):
        return f"{self.section.version.get_absolute_url()}#{self.anchor}"


class Party(models.Model):
    """A board that is party to a version of a protocol."""

    version = models.ForeignKey(ProtocolVersion, on_delete=models.CASCADE, related_name="parties")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="protocol_parties")
    signatory_post = models.ForeignKey(
        Post,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who signs for this board, e.g. its chair.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    signatories_expected = models.PositiveSmallIntegerField(
        default=1, help_text="How many signatories the protocol lists for this board, e.g. 2 for two co-chairs."
    )
    recorded_from_paper = models.BooleanField(
        default=False,
        help_text="The board's approval was recorded from a paper copy rather than signature by signature.",
    )
    paper_note = models.CharField(max_length=500, blank=True, help_text="What the paper copy shows; always shown.")

    VERSION_PATH = "version"

    objects = LockedContentQuerySet.as_manager()

    class Meta:
        ordering = ["version", "position"]
        verbose_name_plural = "parties"
        constraints = [
            models.UniqueConstraint(fields=["version", "board"], name="unique_party_per_version"),
            models.CheckConstraint(condition=Q(signatories_expected__gte=1), name="party_expects_a_signatory"),
            models.CheckConstraint(
                condition=Q(recorded_from_paper=False) | ~Q(paper_note=""), name="paper_copy_has_a_note"
            ),
        ]

    CONTENT_FIELDS = (
        "version_id",
        "board_id",
        "signatory_post_id",
        "position",
        "signatories_expected",
        "recorded_from_paper",
        "paper_note",
    )

    def __str__(self):
        return f"{self.board} (party to {self.version})"

    def save(self, *args, **kwargs):
        guard_locked_save(self, self.version_id, self.CONTENT_FIELDS)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        guard_locked_delete(self, self.version_id)
        return super().delete(*args, **kwargs)

    def refuse_locked(self, fields=()):
        refuse_if_locked(self.version_id)

    def audit_scope(self):
        return version_scope(self.version_id)

    def live_approvals(self):
        """The signatures recorded and not withdrawn, in the order they were recorded (uses prefetched approvals)."""
        live = [a for a in self.approvals.all() if a.withdrawn_at is None]
        return sorted(live, key=lambda a: (a.recorded_at, a.pk or 0))

    def current_approval(self):
        """The first live signature, or None."""
        live = self.live_approvals()
        return live[0] if live else None

    @property
    def missing_signatures(self):
        """One item per listed signatory who has not signed yet (for blank signature lines)."""
        if self.recorded_from_paper:
            return range(0)
        return range(max(0, self.signatories_expected - len(self.live_approvals())))

    @property
    def approval_complete(self):
        """Complete when the signatories the protocol lists have signed, or when marked as from a paper copy."""
        return self.recorded_from_paper or len(self.live_approvals()) >= self.signatories_expected


class Approval(models.Model):
    """One signatory's approval of one version on behalf of a party (a board with co-chairs has two).

    The date and the signatory's name and post are empty when the protocol does not state them.
    """

    class SignatureKind(models.TextChoices):
        NONE = "none", "Not signed in the registry"
        TYPED = "typed", "Typed name"
        DRAWN = "drawn", "Drawn on screen"
        UPLOADED = "uploaded", "Uploaded image"

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="approvals")
    approved_on = models.DateField(
        null=True,
        blank=True,
        help_text="Date of the meeting or signature, to its known precision; empty if not stated.",
    )
    approved_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    signatory_name = models.CharField(max_length=200, blank=True)
    signatory_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="approvals"
    )
    signatory_post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="approvals")
    signatory_post_title = models.CharField(max_length=250, blank=True, help_text="As written on the signature line.")
    capacity = models.CharField(max_length=120, blank=True, help_text="The capacity they sign in, e.g. 'Co-chair'.")
    signature_kind = models.CharField(max_length=10, choices=SignatureKind.choices, default=SignatureKind.NONE)
    signature_text = models.CharField(max_length=200, blank=True, help_text="The typed signature.")
    signature_image = models.FileField(upload_to="signatures/", blank=True)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True, help_text="Set when a later edit withdrew it.")
    withdrawn_reason = models.CharField(max_length=300, blank=True)

    VERSION_PATH = "party__version"

    objects = LockedContentQuerySet.as_manager()

    class Meta:
        ordering = ["party__position", "recorded_at", "id"]
        constraints = [
            partial_date_constraint("approved_on", "approved_precision", "approval_date_precision"),
        ]

    def __str__(self):
        return f"{self.party.board} approved {self.approved_display or '(date not stated)'}"

    CONTENT_FIELDS = (
        "party_id",
        "approved_on",
        "approved_precision",
        "signatory_name",
        "signatory_person_id",
        "signatory_post_id",
        "signatory_post_title",
        "capacity",
        "signature_kind",
        "signature_text",
        "signature_image",
        "note",
        "recorded_by_id",
        "withdrawn_at",
        "withdrawn_reason",
    )

    def save(self, *args, **kwargs):
        guard_locked_save(self, self._version_id(), self.CONTENT_FIELDS)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        guard_locked_delete(self, self._version_id())
        return super().delete(*args, **kwargs)

    @property
    def approved_display(self):
        """The date as precisely as it is known; empty when the protocol does not state it."""
        return format_partial_date(self.approved_on, self.approved_precision)

    def _version_id(self):
        return Party.objects.filter(pk=self.party_id).values_list("version_id", flat=True).first()

    def refuse_locked(self, fields=()):
        refuse_if_locked(self._version_id())

    def audit_scope(self):
        return version_scope(self._version_id())

    @property
    def signed_through_link(self) -> bool:
        """True when the signatory signed for themselves through a personal signing link (the record of an agreed
        version says so for the approvals it holds; select_related("signature_request") spares the query)."""
        known = self.__dict__.get("_signed_through_link")
        if known is not None:
            return known
        return self.pk is not None and getattr(self, "signature_request", None) is not None

    @signed_through_link.setter
    def signed_through_link(self, value: bool):
        self._signed_through_link = value

    @property
    def post_display(self):
        """The post as the signature line writes it, else the post record's title; empty when not stated."""
        if self.signatory_post_title:
            return self.signatory_post_title
        return self.signatory_post.title if self.signatory_post_id else ""


class GlossaryEntry(models.Model):
    version = models.ForeignKey(ProtocolVersion, on_delete=models.CASCADE, related_name="glossary_entries")
    term = models.CharField(max_length=60)
    meaning = models.CharField(max_length=300)

    VERSION_PATH = "version"

    objects = LockedContentQuerySet.as_manager()

    class Meta:
        ordering = ["version", "term"]
        verbose_name_plural = "glossary entries"
        constraints = [models.UniqueConstraint(fields=["version", "term"], name="unique_glossary_term")]

    CONTENT_FIELDS = ("version_id", "term", "meaning")

    def __str__(self):
        return f"{self.term}: {self.meaning}"

    def save(self, *args, **kwargs):
        guard_locked_save(self, self.version_id, self.CONTENT_FIELDS)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        guard_locked_delete(self, self.version_id)
        return super().delete(*args, **kwargs)

    def refuse_locked(self, fields=()):
        refuse_if_locked(self.version_id)

    def audit_scope(self):
        return version_scope(self.version_id)


class RenderedDocument(models.Model):
    """A generated (and, for agreed versions, sealed) PDF kept so it is served, not rebuilt."""

    version = models.ForeignKey(ProtocolVersion, on_delete=models.CASCADE, related_name="rendered_documents")
    renderer_version = models.CharField(max_length=40)
    file = models.FileField(upload_to="documents/")
    content_fingerprint = models.CharField(max_length=64)
    file_sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(default=0)
    sealed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "renderer_version"], name="one_document_per_renderer"),
        ]

    def __str__(self):
        return f"PDF of {self.version} ({self.renderer_version})"


class PdfJob(models.Model):
    """The drawing and sealing of a locked version's PDF in the background (protocols.tasks): where it has got
    to, so the reader waiting for the PDF and the administrator are told, and how many attempts it took."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        DRAWING = "drawing", "Being drawn"
        RETRYING = "retrying", "Failed, retrying"
        FAILED = "failed", "Failed"
        DONE = "done", "Stored"

    version = models.ForeignKey(ProtocolVersion, on_delete=models.CASCADE, related_name="pdf_jobs")
    renderer_version = models.CharField(max_length=40)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Attempts started so far.")
    error = models.TextField(blank=True, help_text="The last failure, in a line.")
    queued_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-queued_at"]
        verbose_name = "PDF job"
        constraints = [
            models.UniqueConstraint(fields=["version", "renderer_version"], name="one_pdf_job_per_renderer"),
        ]

    def __str__(self):
        return f"PDF of {self.version} ({self.get_state_display()})"

    @property
    def is_pending(self):
        return self.state in {self.State.QUEUED, self.State.DRAWING, self.State.RETRYING}


class ReviewReminder(models.Model):
    """A review reminder email that was sent, so the daily command never sends the same one twice."""

    class Kind(models.TextChoices):
        DUE_SOON = ReviewState.DUE_SOON.value, "Review due soon"
        OVERDUE = ReviewState.OVERDUE.value, "Review overdue"

    version = models.ForeignKey(ProtocolVersion, on_delete=models.CASCADE, related_name="review_reminders")
    review_due = models.DateField(help_text="The due date the reminder was about.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    recipients = models.TextField(blank=True, help_text="Addresses it went to, one a line.")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "review_due", "kind"], name="one_reminder_per_due_date"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.version} ({self.review_due})"


class ImportedDocument(models.Model):
    """An uploaded protocol document, kept exactly as it came with its SHA-256, and what the importer
    read from it. Nothing in `parsed` is a record until the business manager saves it from the
    review screen; then `version` links the draft it became."""

    area = models.ForeignKey("boards.Area", on_delete=models.PROTECT, related_name="imported_documents")
    protocol = models.ForeignKey(
        Protocol, on_delete=models.SET_NULL, null=True, blank=True, related_name="imported_documents"
    )
    version = models.ForeignKey(
        ProtocolVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="imported_documents"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    file = models.FileField(upload_to="imports/")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    format = models.CharField(max_length=10)
    parsed = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    saved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} ({self.sha256[:12]})"

    def audit_scope(self):
        return {"protocol_id": self.protocol_id, "version_id": self.version_id}


class AgreedRecordQuerySet(models.QuerySet):
    """A frozen record is written once: no bulk change or removal (PostgreSQL's trigger refuses them too)."""

    def update(self, **kwargs):
        if locks_apply():
            raise VersionLocked("The record of what was agreed is written once; it cannot change.")
        return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        if locks_apply():
            raise VersionLocked("The record of what was agreed is written once; it cannot be deleted.")
        return super().delete()

    delete.alters_data = True


class AgreedRecord(models.Model):
    """What a version said when it was agreed, written once as canonical JSON (see protocols.frozen).

    The fingerprint, the sealed PDF and /verify/ read this, never the live rows, so a later rename of a
    board or a post shows on the pages but never changes what was sealed. Never changed or deleted:
    the model, its queryset and, on PostgreSQL, a trigger (migration 0009) refuse it.
    """

    version = models.OneToOneField(ProtocolVersion, on_delete=models.CASCADE, related_name="agreed_record")
    document = models.JSONField(help_text="The version's content as it was agreed (protocols.frozen).")
    fingerprint = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of the document's agreed text.")
    created_at = models.DateTimeField(auto_now_add=True)

    VERSION_PATH = "version"

    objects = AgreedRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "record of what was agreed"
        verbose_name_plural = "records of what was agreed"

    def __str__(self):
        return f"Record of {self.version} as agreed"

    def save(self, *args, **kwargs):
        if self.pk is not None and locks_apply():
            raise VersionLocked("The record of what was agreed is written once; it cannot change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if locks_apply():
            raise VersionLocked("The record of what was agreed is written once; it cannot be deleted.")
        return super().delete(*args, **kwargs)

    def refuse_locked(self, fields=()):
        if self.pk is not None:
            raise VersionLocked("The record of what was agreed is written once; it cannot change.")

    def audit_scope(self):
        return {"protocol_id": self.version.protocol_id, "version_id": self.version_id}


class SignatureRequest(models.Model):
    """A personal signing link sent to one signatory of a party, and the evidence of how they answered.

    The link's token is random and stored only as its SHA-256, so the database alone cannot sign. A link
    is used once (signed or declined), expires, and is cancelled when the signer is changed. Before
    signing, the signatory confirms a six-digit code sent to the same address; the code too is stored
    hashed. Signing records an Approval through the approvals service, linked here with its evidence.
    """

    version = models.ForeignKey(ProtocolVersion, on_delete=models.CASCADE, related_name="signature_requests")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="signature_requests")
    signatory_name = models.CharField(max_length=200)
    signatory_email = models.EmailField(max_length=254)
    signatory_post_title = models.CharField(max_length=250, blank=True)
    capacity = models.CharField(max_length=120, blank=True, help_text="The capacity they sign in, e.g. 'Co-chair'.")
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the link's token.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True, help_text="When the signatory signed or declined.")
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=1000, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True, help_text="When the link was replaced or withdrawn.")
    code_hash = models.CharField(max_length=64, blank=True)
    code_sent_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0, help_text="Wrong entries of the current code.")
    codes_sent = models.PositiveSmallIntegerField(default=0)
    code_confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the code emailed to the signatory was entered correctly."
    )
    seen_fingerprint = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the version's text as the signatory saw it."
    )
    client_hash = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the network address and browser that signed or declined."
    )
    approval = models.OneToOneField(
        Approval, null=True, blank=True, on_delete=models.SET_NULL, related_name="signature_request"
    )

    class Meta:
        ordering = ["party__position", "sent_at", "id"]
        indexes = [models.Index(fields=["version", "party"])]

    def __str__(self):
        return f"Signing link for {self.signatory_name} ({self.party.board})"

    def audit_scope(self):
        return version_scope(self.version_id)

    @property
    def is_signed(self):
        return self.approval_id is not None

    @property
    def is_declined(self):
        return self.declined_at is not None

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    def is_expired(self, now=None):
        from django.utils import timezone

        return (now or timezone.now()) >= self.expires_at

    def is_pending(self, now=None):
        """Sent and not yet answered, cancelled or expired: the link can still be used."""
        return self.used_at is None and self.cancelled_at is None and not self.is_expired(now)

    @property
    def is_void(self):
        """Signed, but the signature was withdrawn because the version changed after it was made."""
        return self.approval_id is not None and self.approval.withdrawn_at is not None

    @property
    def status_label(self):
        if self.is_void:
            return "Void"
        if self.is_signed:
            return "Signed"
        if self.is_declined:
            return "Declined"
        if self.is_cancelled:
            return "Replaced"
        if self.is_expired():
            return "Expired"
        return "Waiting"
