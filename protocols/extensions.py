"""Where apps built on protocols plug into its editor, so that protocols never imports them.

An app adds to these lists in its AppConfig.ready():

- ``clause_prefetches``: lookups from Clause that the editor fetches with every clause, so a panel
  that shows a clause's records costs a fixed number of queries;
- ``clause_panels``: templates rendered under each clause in the editor, with ``clause``, ``protocol``
  and ``version`` in their context;
- ``change_readers``: functions ``reader(*, old, new)`` returning protocols.changes.ChangeGroup lists, so
  the summary of what changed between two versions (protocols.changes.version_changes) covers the
  app's records too. Each must run a fixed number of queries.
"""

clause_prefetches: list = []
clause_panels: list[str] = []
change_readers: list = []
