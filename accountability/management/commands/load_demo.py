from django.core.management.base import BaseCommand
from django.db import transaction

from accountability.demo import DEMO_MODULES
from accountability.demo.builder import DemoBuilder


class Command(BaseCommand):
    help = (
        "Load the five demonstration protocols (West Berkshire, Tri-borough/Westminster, Cheshire West and "
        "Chester, Slough, Knowsley) with their boards, posts, clauses, approvals, duties, obligations and "
        "relations. Safe to run again: records are matched by natural keys and updated in place."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            builder = DemoBuilder()
            for module in DEMO_MODULES:
                module.load(builder)
                self.stdout.write(f"Loaded {module.TITLE}")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
