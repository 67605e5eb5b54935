"""Who owes what to whom: legal bases, duties, reporting obligations, relations, meetings,
escalation routes and priorities, each traced to the clause that states it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from boards.models import Board, Post, Revisioned
from core.text import NOT_STATED
from protocols.models import Clause, LockedContentQuerySet, ProtocolVersion, refuse_if_locked, version_scope


def join_labels(labels):
    """'A', 'A and B', 'A, B and C'."""
    labels = list(labels)
    if len(labels) < 2:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} and {labels[-1]}"


MONTH_VALIDATORS = [MinValueValidator(1), MaxValueValidator(12)]


def exactly_one(first, second, name):
    """A check that one, and only one, of two nullable foreign keys is set."""
    return models.CheckConstraint(
        condition=(Q(**{f"{first}__isnull": False}) & Q(**{f"{second}__isnull": True}))
        | (Q(**{f"{first}__isnull": True}) & Q(**{f"{second}__isnull": False})),
        name=name,
    )


class Frequency(models.TextChoices):
    """How often, as protocols say it. An empty value means the protocol does not say."""

    MONTHLY = "monthly", "Monthly"
    TWO_MONTHLY = "two_monthly", "Every two months"
    QUARTERLY = "quarterly", "Quarterly"
    SIX_MONTHLY = "six_monthly", "Every six months"
    ANNUAL = "annual", "Annually"
    TWO_YEARLY = "two_yearly", "Every two years"
    THREE_YEARLY = "three_yearly", "Every three years"
    AFTER_EACH_MEETING = "after_each_meeting", "After every meeting"
    ON_REQUEST = "on_request", "On request"
    AS_REQUIRED = "as_required", "As and when required"
    ONCE = "once", "Once"


# Frequencies that repeat on a cycle, and so can be "at least" that often.
PERIODIC_FREQUENCIES = [
    Frequency.MONTHLY,
    Frequency.TWO_MONTHLY,
    Frequency.QUARTERLY,
    Frequency.SIX_MONTHLY,
    Frequency.ANNUAL,
    Frequency.TWO_YEARLY,
    Frequency.THREE_YEARLY,
]


def frequency_label(frequency, at_least=False):
    """'Annually', 'At least annually', 'Every two years', or '' when the protocol does not say."""
    if not frequency:
        return ""
    label = Frequency(frequency).label
    return f"At least {label[0].lower()}{label[1:]}" if at_least else label


def version_field(related_name):
    return models.ForeignKey(
        ProtocolVersion,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name=related_name,
        help_text="The protocol version that states this.",
    )


def clause_field(related_name):
    return models.ForeignKey(
        Clause,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
        help_text="The clause that states this.",
    )


class SourcedMixin(models.Model):
    """A record stated by a protocol: subclasses declare `version` and `source_clause` with their own names."""

    class Meta:
        abstract = True

    @property
    def in_force(self):
        """Stated by the version in force, or by no protocol (entered directly); drafts and history are not."""
        return self.version_id is None or self.version.is_agreed

    def refuse_locked(self, fields=()):
        """What an agreed version states is part of the signed record (moving it away is a change too)."""
        refuse_if_locked(self.version_id)
        if self.pk is not None:
            stored = type(self)._default_manager.filter(pk=self.pk).values_list("version_id", flat=True).first()
            if stored != self.version_id:
                refuse_if_locked(stored)

    def audit_scope(self):
        return version_scope(self.version_id)

    def clean(self):
        super().clean()
        if self.source_clause_id and self.version_id and self.source_clause.section.version_id != self.version_id:
            raise ValidationError({"source_clause": "The clause must belong to the same protocol version."})


class LegalInstrument(models.Model):
    class Kind(models.TextChoices):
        ACT = "act", "Act of Parliament"
        REGULATIONS = "regulations", "Regulations"
        STATUTORY_GUIDANCE = "statutory_guidance", "Statutory guidance"
        GUIDANCE = "guidance", "Guidance"
        REVIEW = "review", "Review recommendation"
        LOCAL = "local", "Local document"

    title = models.CharField(max_length=250, unique=True)
    short_title = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    url = models.URLField(blank=True, help_text="legislation.gov.uk or the publisher's page.")

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class LegalReference(models.Model):
    """A provision of an instrument: 'section 13', 'recommendation 5', or the instrument as a whole."""

    instrument = models.ForeignKey(LegalInstrument, on_delete=models.PROTECT, related_name="references")
    provision = models.CharField(max_length=100, blank=True, help_text="e.g. 'section 13', 'recommendation 6'.")
    url = models.URLField(blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["instrument__title", "provision"]
        constraints = [models.UniqueConstraint(fields=["instrument", "provision"], name="unique_legal_reference")]

    def __str__(self):
        return f"{self.instrument}, {self.provision}" if self.provision else str(self.instrument)

    @property
    def link(self):
        return self.url or self.instrument.url


class BoardLegalBasis(models.Model):
    """Legislation that establishes a board or sets its functions."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="legal_bases")
    legal_reference = models.ForeignKey(LegalReference, on_delete=models.PROTECT, related_name="board_bases")
    note = models.CharField(max_length=250, blank=True)

    class Meta:
        verbose_name_plural = "board legal bases"
        constraints = [models.UniqueConstraint(fields=["board", "legal_reference"], name="unique_board_legal_basis")]

    def __str__(self):
        return f"{self.board}: {self.legal_reference}"

    def audit_scope(self):
        return self.board.audit_scope()


class Duty(SourcedMixin, Revisioned):
    """A duty, function or responsibility of a board or a post, with its legal basis."""

    version = version_field("duties")
    source_clause = clause_field("duties")

    class Kind(models.TextChoices):
        DUTY = "duty", "Statutory duty"
        FUNCTION = "function", "Function"
        RESPONSIBILITY = "responsibility", "Responsibility agreed locally"
        POWER = "power", "Power"

    holder_board = models.ForeignKey(Board, null=True, blank=True, on_delete=models.CASCADE, related_name="duties")
    holder_post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="duties")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FUNCTION)
    description = models.TextField()
    legal_references = models.ManyToManyField(LegalReference, blank=True, related_name="duties")

    VERSION_PATH = "version"

    objects = LockedContentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "duties"
        constraints = [exactly_one("holder_board", "holder_post", "duty_has_one_holder")]

    def __str__(self):
        return f"{self.holder}: {self.description[:70]}"

    @property
    def holder(self):
        return self.holder_board or self.holder_post


class ReportingObligation(SourcedMixin, Revisioned):
    """Who sends what to whom, how often and in which window of months."""

    version = version_field("obligations")
    source_clause = clause_field("obligations")

    class Subject(models.TextChoices):
        ANNUAL_REPORT = "annual_report", "Annual report"
        BUSINESS_PLAN = "business_plan", "Business plan"
        PERFORMANCE_DATA = "performance_data", "Performance data"
        MINUTES = "minutes", "Minutes"
        PROGRESS_REPORT = "progress_report", "Progress report"
        PLAN = "plan", "Plan or strategy"
        NEEDS_ASSESSMENT = "needs_assessment", "Needs assessment"
        CONSULTATION = "consultation", "Consultation or liaison"
        OTHER = "other", "Other report"

    subject = models.CharField(max_length=30, choices=Subject.choices)
    title = models.CharField(max_length=250, help_text="What is sent, in the protocol's words.")
    frequency = models.CharField(
        max_length=30, choices=Frequency.choices, blank=True, help_text="Empty when the protocol does not say."
    )
    frequency_at_least = models.BooleanField(
        default=False, help_text="The protocol says 'at least' this often: 'at least annually'."
    )
    window_start_month = models.PositiveSmallIntegerField(null=True, blank=True, validators=MONTH_VALIDATORS)
    window_end_month = models.PositiveSmallIntegerField(null=True, blank=True, validators=MONTH_VALIDATORS)
    presenter = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="obligations_presented"
    )
    description = models.TextField(blank=True)

    VERSION_PATH = "version"

    objects = LockedContentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_start_month__isnull=True) | Q(window_start_month__gte=1, window_start_month__lte=12),
                name="obligation_window_start_is_a_month",
            ),
            models.CheckConstraint(
                condition=Q(window_end_month__isnull=True) | Q(window_end_month__gte=1, window_end_month__lte=12),
                name="obligation_window_end_is_a_month",
            ),
            models.CheckConstraint(
                condition=Q(window_start_month__isnull=True, window_end_month__isnull=True)
                | Q(window_start_month__isnull=False, window_end_month__isnull=False),
                name="obligation_window_has_both_ends",
            ),
            models.CheckConstraint(
                condition=Q(frequency_at_least=False) | Q(frequency__in=PERIODIC_FREQUENCIES),
                name="obligation_at_least_a_periodic_frequency",
            ),
        ]

    def __str__(self):
        return f"{self.senders_label or NOT_STATED} → {self.title}"

    @property
    def frequency_label(self):
        """'At least annually', 'Every two months', or '' when the protocol does not say how often."""
        return frequency_label(self.frequency, self.frequency_at_least)

    @property
    def sender_parties(self):
        """The boards and posts that send it, in the order entered; empty when the protocol names none."""
        if self.pk is None:  # unsaved, or just deleted
            return []
        return [sender.party for sender in self.senders.all()]

    @property
    def senders_label(self):
        """'LSCB', 'LSCB and HWB', or '' when the protocol does not say who sends it."""
        return join_labels([party.label for party in self.sender_parties])


class ObligationSender(models.Model):
    """A board or post that sends an obligation's report; several send it jointly, none when not stated."""

    obligation = models.ForeignKey(ReportingObligation, on_delete=models.CASCADE, related_name="senders")
    board = models.ForeignKey(Board, null=True, blank=True, on_delete=models.CASCADE, related_name="obligations_sent")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="obligations_sent")

    VERSION_PATH = "obligation__version"

    objects = LockedContentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            exactly_one("board", "post", "sender_is_board_or_post"),
            models.UniqueConstraint(fields=["obligation", "board"], name="unique_obligation_sender_board"),
            models.UniqueConstraint(fields=["obligation", "post"], name="unique_obligation_sender_post"),
        ]

    def __str__(self):
        return str(self.board or self.post)

    def _version_id(self):
        return ReportingObligation.objects.filter(pk=self.obligation_id).values_list("version_id", flat=True).first()

    def refuse_locked(self, fields=()):
        refuse_if_locked(self._version_id())

    def audit_scope(self):
        return version_scope(self._version_id())

    @property
    def party(self):
        return self.board or self.post


class ObligationRecipient(models.Model):
    obligation = models.ForeignKey(ReportingObligation, on_delete=models.CASCADE, related_name="recipients")
    board = models.ForeignKey(
        Board, null=True, blank=True, on_delete=models.CASCADE, related_name="obligations_received"
    )
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="obligations_received")

    VERSION_PATH = "obligation__version"

    objects = LockedContentQuerySet.as_manager()

    class Meta:
        constraints = [exactly_one("board", "post", "recipient_is_board_or_post")]

    def __str__(self):
        return str(self.board or self.post)

    def _version_id(self):
        return ReportingObligation.objects.filter(pk=self.obligation_id).values_list("version_id", flat=True).first()

    def refuse_locked(self, fields=()):
        refuse_if_locked(self._version_id())

    def audit_scope(self):
        return version_scope(self._version_id())

    @property
    def party(self):
        return self.board or self.post


class ObligationFulfilment(models.Model):
    """A record that an obligation was met for one period."""

    obligation = models.ForeignKey(ReportingObligation, on_delete=models.CASCADE, related_name="fulfilments")
    period_start = models.DateField(help_text="First day of the due window this meets.")
    met_on = models.DateField()
    note = models.TextField(blank=True)
    link = models.URLField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start"]
        constraints = [models.UniqueConstraint(fields=["obligation", "period_start"], name="one_fulfilment_per_period")]

    def __str__(self):
        return f"{self.obligation} met {self.met_on}"

    def audit_scope(self):
        # Recording that an agreed obligation was met is not a change to what was agreed.
        version_id = ReportingObligation.objects.filter(pk=self.obligation_id).values_list("version_id", flat=True)
        return version_scope(version_id.first())


class Relation(SourcedMixin, Revisioned):
    """A typed accountability link between two boards or posts, as a clause states it."""

    version = version_field("relations")
    source_clause = clause_field("relations")

    class Kind(models.TextChoices):
        REPORTS_TO = "reports_to", "reports to"
        PRESENTS_ANNUAL_REPORT_TO = "presents_annual_report_to", "presents its annual report to"
        ACCOUNTABLE_TO = "accountable_to", "is accountable to"
        HOLDS_TO_ACCOUNT = "holds_to_account", "holds to account"
        CHALLENGES = "challenges", "challenges"
        SCRUTINISES = "scrutinises", "scrutinises"
        OVERSEES = "oversees", "oversees"
        CONSULTS = "consults", "consults"
        APPOINTS_AND_REMOVES = "appoints_and_removes", "appoints and removes"
        MEETS_WITH = "meets_with", "meets with"
        MEMBER_OF = "member_of", "is a member of"
        SUPPORTS = "supports", "supports"
        ADVISES = "advises", "advises"
        RECOMMENDS_TO = "recommends_to", "can make recommendations to"
        SUBORDINATE_TO = "subordinate_to", "is subordinate to"
        EXECUTIVE_RESPONSIBILITY_FOR = "executive_responsibility_for", "has executive responsibility for"
        PARTNER_OF = "partner_of", "is an equal partner of"

    # What each kind says when a protocol denies it ("the LSCB is not subordinate to the HWB") ...
    NEGATED_LABELS = {
        Kind.REPORTS_TO: "does not report to",
        Kind.PRESENTS_ANNUAL_REPORT_TO: "does not present its annual report to",
        Kind.ACCOUNTABLE_TO: "is not accountable to",
        Kind.HOLDS_TO_ACCOUNT: "does not hold to account",
        Kind.CHALLENGES: "does not challenge",
        Kind.SCRUTINISES: "does not scrutinise",
        Kind.OVERSEES: "does not oversee",
        Kind.CONSULTS: "does not consult",
        Kind.APPOINTS_AND_REMOVES: "does not appoint or remove",
        Kind.MEETS_WITH: "does not meet with",
        Kind.MEMBER_OF: "is not a member of",
        Kind.SUPPORTS: "does not support",
        Kind.ADVISES: "does not advise",
        Kind.RECOMMENDS_TO: "cannot make recommendations to",
        Kind.SUBORDINATE_TO: "is not subordinate to",
        Kind.EXECUTIVE_RESPONSIBILITY_FOR: "has no executive responsibility for",
        Kind.PARTNER_OF: "is not an equal partner of",
    }
    # ... and when it holds both ways ("the LSCB and the HWB are equal partners"), with no direction.
    MUTUAL_LABELS = {
        Kind.REPORTS_TO: "report to each other",
        Kind.PRESENTS_ANNUAL_REPORT_TO: "present their annual reports to each other",
        Kind.ACCOUNTABLE_TO: "are accountable to each other",
        Kind.HOLDS_TO_ACCOUNT: "hold each other to account",
        Kind.CHALLENGES: "challenge each other",
        Kind.SCRUTINISES: "scrutinise each other",
        Kind.OVERSEES: "oversee each other",
        Kind.CONSULTS: "consult each other",
        Kind.APPOINTS_AND_REMOVES: "appoint and remove each other",
        Kind.MEETS_WITH: "meet",
        Kind.MEMBER_OF: "are members of each other",
        Kind.SUPPORTS: "support each other",
        Kind.ADVISES: "advise each other",
        Kind.RECOMMENDS_TO: "can make recommendations to each other",
        Kind.SUBORDINATE_TO: "are subordinate to each other",
        Kind.EXECUTIVE_RESPONSIBILITY_FOR: "have executive responsibility for each other",
        Kind.PARTNER_OF: "are equal partners",
    }

    kind = models.CharField(max_length=40, choices=Kind.choices)
    subject_board = models.ForeignKey(
        Board, null=True, blank=True, on_delete=models.CASCADE, related_name="relations_out"
    )
    subject_post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="relations_out"
    )
    object_board = models.ForeignKey(
        Board, null=True, blank=True, on_delete=models.CASCADE, related_name="relations_in"
    )
    object_post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="relations_in")
    description = models.TextField(blank=True)
    frequency = models.CharField(max_length=30, choices=Frequency.choices, blank=True)
    negated = models.BooleanField(
        default=False,
        help_text="The protocol denies it: 'is not subordinate to', 'has no executive responsibility for'.",
    )
    symmetric = models.BooleanField(default=False, help_text="It holds both ways, with no direction: 'equal partners'.")

    VERSION_PATH = "version"

    objects = LockedContentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            exactly_one("subject_board", "subject_post", "relation_has_one_subject"),
            exactly_one("object_board", "object_post", "relation_has_one_object"),
            models.CheckConstraint(
                condition=Q(negated=False) | Q(symmetric=False), name="relation_denied_or_mutual_not_both"
            ),
        ]

    def __str__(self):
        return self.sentence(str(self.subject), str(self.object))

    @property
    def subject(self):
        return self.subject_board or self.subject_post

    @property
    def object(self):
        return self.object_board or self.object_post

    @property
    def verb(self):
        """The words between the two ends: 'is subordinate to', 'is not subordinate to', 'are equal partners'."""
        if self.symmetric:
            return self.MUTUAL_LABELS[self.kind]
        if self.negated:
            return self.NEGATED_LABELS[self.kind]
        return self.get_kind_display()

    def sentence(self, subject_label, object_label):
        """'LSCB is not subordinate to HWB', 'LSCB and HWB are equal partners'."""
        if self.symmetric:
            return f"{subject_label} and {object_label} {self.verb}"
        return f"{subject_label} {self.verb} {object_label}"

    @property
    def label_sentence(self):
        """The sentence with each end's short label, as pages show it."""
        return self.sentence(self.subject.label, self.object.label)


class Meeting(SourcedMixin, Revisioned):
    """Regular meetings between posts or boards, with a frequency and standing agenda."""

    version = version_field("meetings")
    source_clause = clause_field("meetings")
    title = models.CharField(max_length=250)
    frequency = models.CharField(max_length=30, choices=Frequency.choices, blank=True, help_text="Empty: not stated.")
    purpose = models.TextField(blank=True)
    participant_posts = models.ManyToManyField(Post, blank=True, related_name="meetings")
    participant_boards = models.ManyToManyField(Board, blank=True, related_name="meetings")

    VERSION_PATH = "version"

    objects = LockedContentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.title


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    text = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    VERSION_PATH = "meeting__version"

    objects = LockedContentQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "position"]

    def __str__(self):
        return self.text[:80]


class EscalationRoute(SourcedMixin, Revisioned):
    """How a dispute or concern escalates, as ordered steps."""

    version = version_field("escalation_routes")
    source_clause = clause_field("escalation_routes")
    title = models.CharField(max_length=250)
    description = models.TextField(blank=True)

    VERSION_PATH = "version"

    objects = LockedContentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.title


class EscalationStep(models.Model):
    route = models.ForeignKey(EscalationRoute, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    description = models.TextField(blank=True)
    posts = models.ManyToManyField(Post, blank=True, related_name="escalation_steps")
    boards = models.ManyToManyField(Board, blank=True, related_name="escalation_steps")

    VERSION_PATH = "route__version"

    objects = LockedContentQuerySet.as_manager()

    class Meta:
        ordering = ["route", "order"]
        constraints = [
            models.UniqueConstraint(fields=["route", "order"], name="unique_escalation_step_order"),
            models.CheckConstraint(condition=Q(order__gte=1), name="escalation_step_order_positive"),
        ]

    def __str__(self):
        return f"{self.route}: step {self.order}"


class Priority(SourcedMixin, Revisioned):
    """A shared priority and, through its leads, who does what about it."""

    version = version_field("priorities")
    source_clause = clause_field("priorities")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    number = models.CharField(max_length=20, blank=True, help_text="As written: 'Priority 1', 'a'.")
    title = models.TextField()
    period = models.CharField(max_length=40, blank=True, help_text="e.g. '2011-12'.")
    position = models.PositiveSmallIntegerField(default=0)

    VERSION_PATH = "version"

    objects = LockedContentQuerySet.as_manager()

    class Meta:
        ordering = ["version", "position"]
        verbose_name_plural = "priorities"

    def __str__(self):
        return f"{self.number} {self.title[:70]}".strip()


class PriorityLead(models.Model):
    """'CPB to plan and monitor', 'LSCB to check effectiveness', 'Individual partners'."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="leads")
    board = models.ForeignKey(Board, null=True, blank=True, on_delete=models.CASCADE, related_name="priority_leads")
    lead_label = models.CharField(
        max_length=120, blank=True, help_text="When the lead is not a board, e.g. 'Individual partners'."
    )
    role = models.CharField(max_length=200, blank=True, help_text="e.g. 'plan and monitor', 'check effectiveness'.")
    position = models.PositiveSmallIntegerField(default=0)

    VERSION_PATH = "priority__version"

    objects = LockedContentQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "position"]
        constraints = [
            models.CheckConstraint(condition=Q(board__isnull=False) | ~Q(lead_label=""), name="priority_lead_named")
        ]

    def __str__(self):
        lead = self.board.label if self.board_id else self.lead_label
        return f"{lead} to {self.role}" if self.role else lead


class ClauseCitation(models.Model):
    """A clause citing legislation or guidance."""

    clause = models.ForeignKey(Clause, on_delete=models.CASCADE, related_name="citations")
    legal_reference = models.ForeignKey(LegalReference, on_delete=models.PROTECT, related_name="citations")

    VERSION_PATH = "clause__section__version"

    objects = LockedContentQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clause", "legal_reference"], name="unique_clause_citation")]

    def __str__(self):
        return f"{self.clause.reference} cites {self.legal_reference}"
