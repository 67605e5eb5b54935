from django.core.management.base import BaseCommand, CommandError

from core.addresses import site_url
from protocols import services


class Command(BaseCommand):
    help = (
        "Remind each signatory whose signing link has waited unanswered for N days (settings.SIGNING_REMINDER_DAYS, "
        "or --days). The reminder carries a new link and the old one stops working. Safe to run daily: each link "
        "is reminded once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Days a link waits before the reminder.")

    def handle(self, *args, days=None, **options):
        if not site_url():
            raise CommandError(
                "Set SITE_URL to the registry's address (e.g. https://registry.example.org): reminders link to it."
            )
        sent = services.send_signing_reminders(site=site_url(), days=days)
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} signing reminder(s)."))
