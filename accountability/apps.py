from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accountability"

    def ready(self):
        # protocols never imports accountability; it announces new drafts and we copy our records.
        from protocols.signals import version_copied

        from .services import copy_on_version_copied

        version_copied.connect(copy_on_version_copied, dispatch_uid="accountability_copy_on_version_copied")

        # What a version states here enters its record of what was agreed (protocols.frozen).
        from protocols.signals import collect_agreed_parts

        from .frozen import agreed_parts

        collect_agreed_parts.connect(agreed_parts, dispatch_uid="accountability_agreed_parts")

        # An imported document's accepted obligations and relations become our records.
        from protocols.signals import import_confirmed

        from .services import records_from_import

        import_confirmed.connect(records_from_import, dispatch_uid="accountability_records_from_import")

        # The editor shows, under each clause, the records it states (see protocols.extensions).
        from protocols import extensions

        if "accountability/editor/clause_records.html" not in extensions.clause_panels:
            extensions.clause_panels.append("accountability/editor/clause_records.html")
            extensions.clause_prefetches.extend(
                [
                    "obligations__senders__board",
                    "obligations__senders__post",
                    "duties__holder_board",
                    "duties__holder_post",
                    "relations__subject_board",
                    "relations__subject_post",
                    "relations__object_board",
                    "relations__object_post",
                    "meetings",
                ]
            )

        # The summary of what changed between two versions lists this app's records too.
        from .changes import record_changes

        if record_changes not in extensions.change_readers:
            extensions.change_readers.append(record_changes)

        # Cached pages move on when a change shows in them, wherever its record sits (see showing.py).
        from core import writes

        from .showing import areas_showing

        if areas_showing not in writes.page_areas:
            writes.page_areas.append(areas_showing)

        # A board read through the API links to its calendar feed (see boards.serializers).
        from boards.serializers import BoardSerializer

        BoardSerializer.page_links["calendar"] = "accountability:board_calendar_ics"
