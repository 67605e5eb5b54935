"""Time single writes through the services: python benchmarks/bench_writes.py [--areas 0]

Every audited write also works out which areas' cached pages show the record it changed, so that those
pages move on (core.writes.note_change_showing, accountability/showing.py). This prints the median and
worst time of 30 writes, and the queries each made, of:

- a board's purpose changed through the register (Knowsley's KSCB): which protocols name the board's areas;
- a person's note changed (the first person holding a post), by an administrator: the same question for
  the areas of the posts they hold;
- a clause's text changed in Knowsley's draft: which areas show the protocol's records.

Loads the demo protocols (and, with --areas N, the scale generator's national data as well) into a throwaway
SQLite database, or DATABASE_URL, which should then be a scratch database. Writes go through the Django
services as the register, the API and the editor call them, in memory and with no HTTP.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.scratch import load_data, start_django  # noqa: E402

REPEATS = 30


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--areas", type=int, default=0, help="Areas for the scale generator (0 to skip it).")
    args = parser.parse_args()
    start_django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from boards import services as register
    from boards.models import Area, Board, Person
    from core.writes import record_revision
    from protocols import services
    from protocols.models import Clause, Protocol

    load_data(areas=args.areas, accounts=True)
    print(f"{Area.objects.count()} areas, {Board.objects.count()} boards, {connection.vendor}")

    manager = get_user_model().objects.get(username="manager-knowsley")
    board = Board.objects.get(slug="knowsley-kscb")
    administrator = get_user_model().objects.get(username="admin")
    person = Person.objects.filter(holdings__isnull=False).order_by("pk").first()  # Knowsley's posts name no one
    protocol = Protocol.objects.get(slug="knowsley-hwb-kscb")
    draft = services.open_draft(protocol) or services.version_start_review(user=manager, protocol=protocol)
    clause = Clause.objects.filter(section__version=draft).order_by("section__position", "position").first()

    def board_purpose(n):
        current = Board.objects.get(pk=board.pk)
        register.board_update(
            user=manager, board=current, expected_revision=current.revision, purpose=f"Purpose, as changed {n}."
        )

    def person_note(n):
        current = Person.objects.get(pk=person.pk)
        register.person_update(
            user=administrator, person=current, expected_revision=record_revision(current), notes=f"Note {n}."
        )

    def clause_text(n):
        current = Clause.objects.get(pk=clause.pk)
        services.clause_update(
            user=manager, clause=current, expected_revision=current.revision, text=f"<p>Clause text, change {n}.</p>"
        )

    for name, write in [
        ("a board's purpose (register)", board_purpose),
        ("a person's note (register)", person_note),
        ("a clause's text (editor)", clause_text),
    ]:
        write(-1)  # the first write of a kind compiles what later ones reuse
        times, queries = [], []
        for n in range(REPEATS):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                write(n)
                times.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured))
        print(
            f"{name:32} median {statistics.median(times):6.1f} ms  worst {max(times):6.1f} ms  "
            f"queries {statistics.median(queries):.0f}"
        )


if __name__ == "__main__":
    main()
