from django.core.management.base import BaseCommand
from django.db import transaction

from accountability.demo import DEMO_MODULES
from accountability.demo.builder import DemoBuilder
from core.exceptions import VersionLocked
from core.writes import note_change
from protocols.frozen import freeze_missing


class Command(BaseCommand):
    help = (
        "Load the five demonstration protocols (West Berkshire, Tri-borough/Westminster, Cheshire West and "
        "Chester, Slough, Knowsley) with their boards, posts, clauses, approvals, duties, obligations and "
        "relations. Safe to run again: records are matched by natural keys and updated in place."
    )

    def handle(self, *args, **options):
        kept = []
        with transaction.atomic():
            for module in DEMO_MODULES:
                try:
                    with transaction.atomic():
                        builder = DemoBuilder()
                        module.load(builder)
                        builder.prune()
                except VersionLocked:
                    # The stored copy of this protocol has an agreed version that differs from the demo
                    # definition (its wording or what it records changed since it was loaded). Agreed versions
                    # never change, so keep the stored protocol as it is rather than fail the whole load.
                    kept.append(module.TITLE)
                    self.stderr.write(
                        self.style.WARNING(f"Kept {module.TITLE} as stored: its agreed version cannot change.")
                    )
                else:
                    self.stdout.write(f"Loaded {module.TITLE}")
            # The demo enters agreed versions row by row; once all are in, each is recorded as agreed.
            freeze_missing()
            note_change()  # the demo's rows go in unaudited: pages cached before them are drawn afresh
        if kept:
            self.stdout.write(
                self.style.WARNING(
                    "Demo data loaded, except the protocols above. To load their current wording, start from an "
                    "empty database (for the default SQLite one: delete db.sqlite3, then run `make run` again)."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
