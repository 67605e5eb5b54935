from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accountability"

    def ready(self):
        # protocols never imports accountability; it announces new drafts and we copy our records.
        from protocols.signals import version_copied

        from .services import copy_on_version_copied

        version_copied.connect(copy_on_version_copied, dispatch_uid="accountability_copy_on_version_copied")
