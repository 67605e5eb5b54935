"""What the in-process benchmarks share: Django started on a scratch database (a throwaway SQLite file unless
DATABASE_URL names one, which should then be a scratch database too) holding the demo and, on request, the demo
accounts and the scale generator's national data."""

import os
import tempfile


def start_django(*, media: bool = False) -> str:
    """Set up Django on the scratch database (and with `media`, a throwaway media root); return the scratch folder."""
    scratch = tempfile.mkdtemp()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    if media:
        os.environ["MEDIA_ROOT"] = f"{scratch}/media"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    import django

    django.setup()
    return scratch


def load_data(*, areas: int = 0, accounts: bool = False) -> None:
    """Migrate, then load the demo, its accounts if asked, and `areas` generated areas."""
    from django.core.management import call_command

    with open(os.devnull, "w") as devnull:
        call_command("migrate", verbosity=0)
        call_command("load_demo", verbosity=0, stdout=devnull)
        if accounts:
            call_command("create_demo_accounts", verbosity=0, stdout=devnull)
        if areas:
            call_command("generate_scale_data", areas=areas, verbosity=0, stdout=devnull)
