from django.apps import AppConfig


class ProtocolsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "protocols"

    def ready(self):
        from . import deletion

        deletion.connect()
