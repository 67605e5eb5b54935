from django.core.management.base import BaseCommand, CommandError

from protocols.backup import BackupError, write_backup


class Command(BaseCommand):
    help = (
        "Write one .tar.gz archive holding the database (every app's records, restorable into SQLite or "
        "PostgreSQL), the media files (sealed PDFs, signature images, imported documents) and the seal's key "
        "and certificates. Give a file name, or a folder to put a dated archive in. The archive holds the "
        "private key: keep it where only operators can read it."
    )

    def add_arguments(self, parser):
        parser.add_argument("target", help="The archive to write (.tar.gz), or a folder to write it in.")

    def handle(self, *args, target, **options):
        try:
            path, manifest = write_backup(target)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {path}: the database, {len(manifest['media'])} media files and the seal's key."
            )
        )
