"""Each obligation's single sender becomes its one sender row; the obligation rows themselves are kept."""

from django.db import migrations


def copy_senders(apps, schema_editor):
    ReportingObligation = apps.get_model("accountability", "ReportingObligation")
    ObligationSender = apps.get_model("accountability", "ObligationSender")
    rows = ReportingObligation.objects.values_list("pk", "from_board_id", "from_post_id").order_by("pk")
    ObligationSender.objects.bulk_create(
        ObligationSender(obligation_id=pk, board_id=board_id, post_id=post_id)
        for pk, board_id, post_id in rows.iterator()
        if board_id or post_id
    )


def restore_single_sender(apps, schema_editor):
    ReportingObligation = apps.get_model("accountability", "ReportingObligation")
    ObligationSender = apps.get_model("accountability", "ObligationSender")
    first = {}
    joint = set()
    for sender in ObligationSender.objects.order_by("pk"):
        if sender.obligation_id in first:
            joint.add(sender.obligation_id)
        first.setdefault(sender.obligation_id, sender)
    unsendered = ReportingObligation.objects.exclude(pk__in=first).count()
    if unsendered or joint:
        raise RuntimeError(
            f"{unsendered} obligation(s) name no sender and {len(joint)} several, which the single-sender "
            "schema cannot hold; going back would invent or drop senders."
        )
    for obligation_id, sender in first.items():
        ReportingObligation.objects.filter(pk=obligation_id).update(
            from_board_id=sender.board_id, from_post_id=sender.post_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0003_obligation_senders"),
    ]

    operations = [migrations.RunPython(copy_senders, restore_single_sender)]
