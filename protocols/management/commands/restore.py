from pathlib import Path

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError

from protocols import verification
from protocols.backup import BackupError, restore_backup
from protocols.models import RenderedDocument


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` into an empty database (migrated first): the records, the "
        "media files and the seal's key. With --check, then verify every stored sealed PDF as /verify/ does."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz archive written by `manage.py backup`.")
        parser.add_argument("--check", action="store_true", help="Verify every stored sealed PDF afterwards.")

    def handle(self, *args, archive, check, **options):
        try:
            restore_backup(Path(archive), log=self.stdout.write)
            cache.clear()  # pages cached from the database this one replaces
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        if check:
            self._check()
        self.stdout.write(self.style.SUCCESS("Restore complete."))

    def _check(self):
        failed = 0
        documents = RenderedDocument.objects.filter(sealed=True).exclude(file="").select_related("version")
        for document in documents:
            if not document.file.storage.exists(document.file.name):
                self.stdout.write(f"Missing: {document.file.name} (drawn and sealed again on its next download)")
                continue
            with document.file.open("rb") as handle:
                result = verification.verify_pdf(handle.read())
            if not result.ok:
                failed += 1
                self.stdout.write(self.style.ERROR(f"Does not verify: {document.file.name}: {result.headline}"))
        self.stdout.write(f"Checked {documents.count()} sealed PDFs; {failed} did not verify.")
        if failed:
            raise CommandError("Some sealed PDFs did not verify; see above.")
