"""One archive holding everything the registry needs to come back: the database, the media and the seal.

A backup is a .tar.gz with
- manifest.json: when it was made, from which database, the applied migrations, and each file's SHA-256;
- database.json: every app's records (Django's dumpdata, so it restores into SQLite or PostgreSQL alike);
- media/...: the stored files (sealed PDFs, signature images, imported originals), read through the
  media storage, so object storage is backed up the same way as a folder;
- signing/: the seal's key and certificate, and the certificates of keys rotated out (PEM).

The archive holds the private key that seals PDFs: keep it where only operators can read it.
Restoring goes into an empty database only, so it never mixes two registries.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from . import signing

FORMAT = 1
# Rebuilt by `migrate` on the target, or not worth keeping across a restore.
# The change counter is the database's own (cached pages are keyed by it): never carried to another.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "core.changecounter"]
REGISTRY_APPS = ["core", "boards", "protocols", "accountability"]


class BackupError(Exception):
    """The archive cannot be written or restored; str(error) says why, for the operator."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def media_names(storage=default_storage, folder=""):
    """Every file in the media storage, recursively, except the self-signed seal (carried under signing/)."""
    directories, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}{name}"
    for directory in sorted(directories):
        if not folder and directory == "signing":
            continue
        yield from media_names(storage, f"{folder}{directory}/")


def _signing_files():
    """The seal's key and certificate now in use, and the certificates of keys rotated out."""
    files = signing.key_files()
    found = {"signing/key.pem": files.key.read_bytes(), "signing/cert.pem": files.cert.read_bytes()}
    for index, path in enumerate(settings.SIGNING_PREVIOUS_CERT_FILES, start=1):
        found[f"signing/previous/{index}-{Path(path).name}"] = Path(path).read_bytes()
    return found, files.self_signed


def default_archive_name(now=None) -> str:
    now = now or datetime.datetime.now(datetime.UTC)
    return f"registry-backup-{now:%Y%m%d-%H%M%S}.tar.gz"


def write_backup(target: str | Path) -> tuple[Path, dict]:
    """Write the archive to `target` (a .tar.gz file, or a folder to put one in); return its path and manifest."""
    folder = str(target).endswith(("/", "\\"))
    target = Path(target)
    if folder or target.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        target = target / default_archive_name()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / "database.json"
        call_command(
            "dumpdata",
            exclude=EXCLUDED,
            natural_foreign=True,
            output=str(dump),
            verbosity=0,
            format="json",
            indent=None,
        )
        database = dump.read_bytes()
    manifest = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "database_vendor": connection.vendor,
        "migrations": sorted(MigrationRecorder(connection).applied_migrations()),
        "database": {"name": "database.json", "sha256": _sha256(database), "size": len(database)},
        "media": [],
        "signing": [],
    }
    partial = target.with_name(target.name + ".partial")
    with tarfile.open(partial, "w:gz") as archive:
        _add(archive, "database.json", database)
        for name in media_names():
            with default_storage.open(name, "rb") as handle:
                data = handle.read()
            _add(archive, f"media/{name}", data)
            manifest["media"].append({"name": name, "sha256": _sha256(data), "size": len(data)})
        files, self_signed = _signing_files()
        manifest["self_signed_seal"] = self_signed
        for name, data in files.items():
            _add(archive, name, data)
            manifest["signing"].append({"name": name, "sha256": _sha256(data)})
        _add(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
    partial.chmod(0o600)
    partial.replace(target)
    return target, manifest


# Restoring ------------------------------------------------------------------------------------------


def _read(archive: tarfile.TarFile, name: str) -> bytes:
    try:
        member = archive.getmember(name)
    except KeyError as missing:
        raise BackupError(f"The archive has no {name}: it is not a registry backup, or it is incomplete.") from missing
    handle = archive.extractfile(member)
    if handle is None:
        raise BackupError(f"{name} in the archive is not a file.")
    return handle.read()


def database_is_empty() -> bool:
    models = [
        model
        for label in REGISTRY_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label_lower not in EXCLUDED
    ]
    return not any(model._default_manager.exists() for model in [get_user_model(), *models])


def _safe_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        raise BackupError(f"The archive names a file outside the media folder: {name}")
    return str(path)


def restore_backup(source: Path, *, log=print) -> dict:
    """Restore an archive written by write_backup into an empty, migrated database; return its manifest."""
    try:
        archive = tarfile.open(source, "r:gz")  # noqa: SIM115 - closed by the with block below
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"Cannot read {source}: {error}") from error
    with archive:
        manifest = json.loads(_read(archive, "manifest.json"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"This archive's format ({manifest.get('format')}) is not one this release reads.")
        database = _read(archive, "database.json")
        if _sha256(database) != manifest["database"]["sha256"]:
            raise BackupError("database.json does not match the archive's manifest: the archive is damaged.")
        call_command("migrate", interactive=False, verbosity=0)
        if not database_is_empty():
            raise BackupError(
                "The database already holds records. Restore into an empty database (create a new one, "
                "or empty this one with `python manage.py flush`), so two registries are never mixed."
            )
        with tempfile.TemporaryDirectory() as work:
            dump = Path(work) / "database.json"
            dump.write_bytes(database)
            call_command("loaddata", str(dump), verbosity=0)
        log(f"Database restored from a {manifest['database_vendor']} backup of {manifest['created_at']}.")

        for entry in manifest["media"]:
            name = _safe_name(entry["name"])
            data = _read(archive, f"media/{name}")
            if _sha256(data) != entry["sha256"]:
                raise BackupError(f"media/{name} does not match the archive's manifest: the archive is damaged.")
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, ContentFile(data))
            if saved != name:
                log(f"Warning: media/{name} was stored as {saved}.")
        log(f"{len(manifest['media'])} media files restored.")
        _restore_signing(archive, manifest, log)
    return manifest


def _restore_signing(archive, manifest, log):
    files = {entry["name"]: _read(archive, entry["name"]) for entry in manifest["signing"]}
    previous = {name: data for name, data in files.items() if name.startswith("signing/previous/")}
    folder = Path(settings.MEDIA_ROOT) / "signing"
    if signing.uses_self_signed_certificate():
        folder.mkdir(parents=True, exist_ok=True)
        key_path, cert_path = folder / "registry-seal-key.pem", folder / "registry-seal-cert.pem"
        key_path.write_bytes(files["signing/key.pem"])
        key_path.chmod(0o600)
        cert_path.write_bytes(files["signing/cert.pem"])
        signing.forget_loaded_keys()
        log(f"Seal key and certificate restored to {folder}.")
    elif Path(settings.SIGNING_CERT_FILE).read_bytes().strip() != files["signing/cert.pem"].strip():
        archived = folder / "restored-cert.pem"
        folder.mkdir(parents=True, exist_ok=True)
        archived.write_bytes(files["signing/cert.pem"])
        log(
            "The archive's seal certificate differs from SIGNING_CERT_FILE. PDFs sealed with it verify only once "
            f"it is listed in SIGNING_PREVIOUS_CERT_FILES; it is saved at {archived}."
        )
    for name, data in previous.items():
        path = folder / "previous" / PurePosixPath(name).name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        log(f"Certificate of an earlier key saved at {path}: list it in SIGNING_PREVIOUS_CERT_FILES.")
