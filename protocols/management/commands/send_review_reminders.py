import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from core.addresses import site_url
from protocols.models import ProtocolVersion, ReviewReminder
from protocols.permissions import editor_candidates, protocol_editors


class Command(BaseCommand):
    help = (
        "Email everyone who may edit a protocol (its business managers and the administrators) when its "
        "agreed version is due for review within the warning period (settings.REVIEW_WARNING_DAYS, or --days), "
        "and once more when it is overdue. "
        "Safe to run daily: each reminder is sent once per due date and is recorded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Warning period in days before the due date.")
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None, help="Run as if on this date.")

    def handle(self, *args, days=None, today=None, **options):
        if not site_url():
            # There is no request to learn the address from, and a guessed one would send people to the wrong place.
            raise CommandError(
                "Set SITE_URL to the registry's address (e.g. https://registry.example.org): reminders link to it."
            )
        days = settings.REVIEW_WARNING_DAYS if days is None else days
        today = today or timezone.localdate()
        versions = (
            ProtocolVersion.objects.review_attention(today, days)
            .select_related("protocol__area")
            .prefetch_related("review_reminders")
        )
        candidates = editor_candidates()
        sent = skipped = 0
        for version in versions:
            kind = ReviewReminder.Kind(version.review_state(today, days))  # due soon or overdue
            if any(r.review_due == version.review_due and r.kind == kind for r in version.review_reminders.all()):
                skipped += 1
                continue
            recipients = sorted({user.email for user in protocol_editors(version.protocol, candidates) if user.email})
            if not recipients:
                self.stdout.write(
                    f"No one to remind about {version.protocol}: no one who may edit it has an email address."
                )
                continue
            send_mail(self._subject(version, kind), self._body(version, kind), None, recipients)
            ReviewReminder.objects.create(
                version=version, review_due=version.review_due, kind=kind, recipients="\n".join(recipients)
            )
            sent += 1
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} reminder(s); {skipped} already sent."))

    def _subject(self, version, kind):
        state = "is overdue for review" if kind == ReviewReminder.Kind.OVERDUE else "is due for review"
        return f"{version.protocol.title} {state} ({version.review_due:%-d %B %Y})"[:250]

    def _body(self, version, kind):
        url = site_url() + reverse("protocols:editor", kwargs={"slug": version.protocol.slug})
        when = "was due" if kind == ReviewReminder.Kind.OVERDUE else "is due"
        return (
            f"The review of {version.protocol.title} (version {version.number}, agreed {version.effective_date_display}) "
            f"{when} on {version.review_due:%-d %B %Y}.\n\n"
            f"Start the review in the Protocol Registry: {url}\n"
        )
