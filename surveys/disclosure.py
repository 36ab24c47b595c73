"""Statistical disclosure control for the survey tables Plainsight publishes.

A breakdown such as "answer by age band" published with exact small counts can tell a
neighbour how the one 16-year-old in a ward answered. Before a table is shown, exported or
served by the API it goes through here:

1. ``merge_sparse_bands`` joins adjacent ordered bands (age bands, say) whose total is below a
   threshold into a neighbour, so "16-24" with 4 respondents becomes part of "16-34".
2. ``protect_table`` (two-way) or ``protect_counts`` (one question's counts and their total)
   hides cells:

   * **Primary suppression**: every cell counting at least one and fewer than ``minimum``
     people (10 unless configured) is hidden, reason ``HiddenReason.SMALL``.
   * **Complementary suppression**: further cells are hidden, reason
     ``HiddenReason.COMPLEMENTARY``, so that no hidden cell can be worked out exactly from
     the published cells and totals.

Reasons are codes, not sentences, so this module stays free of Django; templates, the CSV
export and the API translate them (for example "fewer than 10 people" and "hidden so that
another hidden cell cannot be worked out").

Decisions
---------
*Zeros are published.* A zero reveals nothing about any one person, and hiding zeros would
make sparse tables unreadable. Zeros are used as complementary cells only when a line has no
published non-zero cell left, because a hidden zero next to a hidden 3 leaves the pair summing
to 3 and so hides little.

*Totals are published and never primary-suppressed*: the base of every percentage must be
stated, and knowing that 7 people aged 16-24 answered says nothing about how they answered.
Merge sparse bands first (threshold at least ``minimum``) so a published column is not mostly
hidden. A total is hidden as a complementary cell only when nothing else in its line can be
(a one-column table, for example), reason ``COMPLEMENTARY``.

*Group disclosure is reported, not hidden.* When everybody in a band gave the same answer
(every other cell of the column is zero) the table says that all of them did, even if the
count is large. In an anonymous, self-selected survey an attacker would also have to know
that a person took part, and the finding ("all 14 respondents over 75 found this not
acceptable") is often the very thing the council needs to hear. Such cells are listed in
``ProtectedTable.group_disclosures`` so a page can merge the band or add a note; hiding them
would in any case be weak, since the zeros beside them are published.

What the suppression guarantees
-------------------------------
Treat every published total as an equation (a row's cells add up to its row total, and so on
for columns and for the totals themselves). After suppression:

* no row or column, totals included, has exactly one hidden entry, so nothing can be
  recovered by subtracting published cells from a published total, however many times the
  attack is repeated (recovering one cell never happens, so it never unlocks another);
* more strongly, no hidden entry can be recovered by *any* combination of those equations.
  Seen as a graph with a node per row and per column and an edge per hidden entry, every
  hidden entry lies on a cycle of hidden entries (we check for and repair "bridges"), and an
  entry on a cycle can be shifted up by one and its neighbours on the cycle down and up in
  turn without changing any published total.

What it does not guarantee: an attacker who also uses the fact that counts are whole numbers
and not negative (interval or linear-programming attacks) can narrow a hidden cell to a range,
sometimes a short one. That is accepted practice for published survey tables; the minimum
cell size is the main protection, and complementary cells are chosen among the smallest
published ones, which keeps the information lost small but also keeps some ranges narrow.

Percentages of hidden cells are hidden too, as is any percentage whose total is hidden.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

DEFAULT_MINIMUM = 10


class HiddenReason(StrEnum):
    SMALL = "small"  # fewer than the minimum number of people
    COMPLEMENTARY = "complementary"  # hidden so that another hidden cell cannot be worked out


@dataclass(frozen=True)
class PublishedCell:
    """A count as published: ``count`` and ``share`` are ``None`` when hidden or not known.

    ``share`` is a fraction of the column total for cells of a two-way table, of the grand
    total for row and column totals, and of the total for a one-way table.
    """

    count: int | None
    hidden: HiddenReason | None = None
    share: float | None = None

    @property
    def is_hidden(self) -> bool:
        return self.hidden is not None


@dataclass(frozen=True)
class ProtectedTable:
    """A two-way table (rows are answers, columns are groups) ready to publish."""

    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    cells: tuple[tuple[PublishedCell, ...], ...]
    row_totals: tuple[PublishedCell, ...]
    column_totals: tuple[PublishedCell, ...]
    grand_total: PublishedCell
    minimum: int
    # (row, column) of published non-zero cells that hold the whole of their column.
    group_disclosures: tuple[tuple[int, int], ...] = ()

    @property
    def hidden_count(self) -> int:
        entries = [
            *(cell for row in self.cells for cell in row),
            *self.row_totals,
            *self.column_totals,
            self.grand_total,
        ]
        return sum(entry.is_hidden for entry in entries)


@dataclass(frozen=True)
class ProtectedCounts:
    """One question's counts and their total, ready to publish."""

    labels: tuple[str, ...]
    cells: tuple[PublishedCell, ...]
    total: PublishedCell
    minimum: int


@dataclass(frozen=True)
class MergedBands:
    """Ordered bands after merging sparse ones.

    ``members`` lists, per merged band, the indexes of the original bands it holds, so that
    the same merge can be applied to other data about those bands (weights, say).
    """

    labels: tuple[str, ...]
    members: tuple[tuple[int, ...], ...]
    counts: tuple[tuple[int, ...], ...]


def protect_counts(
    labels: Sequence[str], counts: Sequence[int], *, minimum: int = DEFAULT_MINIMUM
) -> ProtectedCounts:
    """Hide small counts of a one-way table, and enough others that none can be worked out."""
    _check_minimum(minimum)
    if len(labels) != len(counts):
        raise ValueError(f"There are {len(labels)} labels but {len(counts)} counts.")
    _check_counts(counts)
    total = sum(counts)
    hidden: list[HiddenReason | None] = [
        HiddenReason.SMALL if 0 < count < minimum else None for count in counts
    ]
    total_hidden = None
    if sum(reason is not None for reason in hidden) == 1:
        published = [index for index, reason in enumerate(hidden) if reason is None]
        if published:
            cheapest = min(published, key=lambda index: (counts[index] == 0, counts[index]))
            hidden[cheapest] = HiddenReason.COMPLEMENTARY
        else:
            # The only option holds everyone: the total would give it away.
            total_hidden = HiddenReason.COMPLEMENTARY
    cells = tuple(
        _published(count, reason, total if total_hidden is None else None)
        for count, reason in zip(counts, hidden, strict=True)
    )
    return ProtectedCounts(
        labels=tuple(labels),
        cells=cells,
        total=_published(total, total_hidden, None),
        minimum=minimum,
    )


def protect_table(
    counts: Sequence[Sequence[int]],
    *,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    minimum: int = DEFAULT_MINIMUM,
) -> ProtectedTable:
    """Hide small cells of a two-way table and enough others, totals included, that no hidden
    cell can be worked out exactly from what is published. See the module docstring."""
    _check_minimum(minimum)
    rows, columns = len(row_labels), len(column_labels)
    if len(counts) != rows or any(len(row) != columns for row in counts):
        raise ValueError(
            f"The counts must have one row per row label ({rows}) and one column per "
            f"column label ({columns})."
        )
    if rows == 0 or columns == 0:
        raise ValueError("A table needs at least one row and one column.")
    for row in counts:
        _check_counts(row)

    augmented = _with_totals(counts)
    reasons: list[list[HiddenReason | None]] = [[None] * (columns + 1) for _ in range(rows + 1)]
    for i in range(rows):
        for j in range(columns):
            if 0 < counts[i][j] < minimum:
                reasons[i][j] = HiddenReason.SMALL
    _suppress_complementary_cells(augmented, reasons)
    return _protected_table(augmented, reasons, row_labels, column_labels, minimum)


def merge_sparse_bands(
    band_labels: Sequence[str],
    counts: Sequence[Sequence[int]],
    *,
    threshold: int = DEFAULT_MINIMUM,
) -> MergedBands:
    """Merge adjacent ordered bands (columns of ``counts``) whose total is below ``threshold``.

    The smallest band below the threshold is merged with whichever neighbour is smaller (the
    earlier one on a tie), and this repeats until every band reaches the threshold or only
    one is left. Labels such as "16-24" and "25-34" merge to "16-34", "65-74" and "75+" to
    "65+".
    """
    columns = len(band_labels)
    if any(len(row) != columns for row in counts):
        raise ValueError(f"Each row of counts needs one count per band ({columns}).")
    if columns == 0:
        raise ValueError("There are no bands to merge.")
    groups = [[index] for index in range(columns)]
    totals = [sum(row[index] for row in counts) for index in range(columns)]
    while len(groups) > 1 and min(totals) < threshold:
        smallest = min(range(len(groups)), key=lambda index: totals[index])
        neighbours = [index for index in (smallest - 1, smallest + 1) if 0 <= index < len(groups)]
        partner = min(neighbours, key=lambda index: totals[index])
        first, second = sorted((smallest, partner))
        groups[first] += groups.pop(second)
        totals[first] += totals.pop(second)
    return MergedBands(
        labels=tuple(
            merged_band_label([band_labels[index] for index in group]) for group in groups
        ),
        members=tuple(tuple(group) for group in groups),
        counts=tuple(
            tuple(sum(row[index] for index in group) for group in groups) for row in counts
        ),
    )


# Band labels are written with an en dash ("16\u201324"); a hyphen is accepted too.
EN_DASH = "\u2013"
_RANGE = re.compile(r"^\s*(?P<start>[^\u2013-]+?)\s*[\u2013-]\s*(?P<end>[^\u2013-]+?)\s*$")
_OPEN_ENDED = re.compile(r"^\s*(?P<start>.+?)\s*\+\s*$")


def merged_band_label(labels: Sequence[str]) -> str:
    """The label of consecutive bands taken together: "16-24" … "25-34" → "16-34".

    Ranges may use an en dash or a hyphen; an open-ended last band ("75+") makes the merged
    band open-ended. Labels of another shape are listed, separated by commas.
    """
    if len(labels) == 1:
        return labels[0]
    first = _RANGE.match(labels[0])
    last_range, last_open = _RANGE.match(labels[-1]), _OPEN_ENDED.match(labels[-1])
    if first and last_open:
        return f"{first['start']}+"
    if first and last_range:
        return f"{first['start']}{EN_DASH}{last_range['end']}"
    return ", ".join(labels)


def merge_columns(
    counts: Sequence[Sequence[int]], members: Sequence[Sequence[int]]
) -> tuple[tuple[int, ...], ...]:
    """Apply a merge (``MergedBands.members``) to another table with the same columns."""
    return tuple(tuple(sum(row[index] for index in group) for group in members) for row in counts)


def _check_minimum(minimum: int) -> None:
    if minimum < 1:
        raise ValueError("The minimum cell size must be at least 1.")


def _check_counts(counts: Sequence[int]) -> None:
    if any(count < 0 for count in counts):
        raise ValueError("Counts of people cannot be negative.")


def _with_totals(counts: Sequence[Sequence[int]]) -> list[list[int]]:
    """The table with its row totals as a last column and column totals as a last row."""
    augmented = [[*row, sum(row)] for row in counts]
    augmented.append([sum(column) for column in zip(*augmented, strict=True)])
    return augmented


def _suppress_complementary_cells(
    augmented: list[list[int]], reasons: list[list[HiddenReason | None]]
) -> None:
    """Hide further entries of the table-with-totals until every hidden one is safe.

    Each row and each column of the augmented table (the totals row and column included) is
    one published equation. Two rules are applied until neither changes anything: a line with
    exactly one hidden entry gets a second; a hidden entry that is a bridge in the graph of
    hidden entries gets a cell that closes a cycle through it.
    """
    while True:
        _hide_lone_entries(augmented, reasons)
        bridge = _find_bridge(reasons)
        if bridge is None:
            return
        row_side, column_side = bridge
        candidates = [
            (i, j)
            for i, row in enumerate(reasons)
            for j, reason in enumerate(row)
            if reason is None
            and (
                (i in row_side.rows and j in column_side.columns)
                or (i in column_side.rows and j in row_side.columns)
            )
        ]
        i, j = min(candidates, key=lambda entry: _cost(augmented, *entry))
        reasons[i][j] = HiddenReason.COMPLEMENTARY


def _cost(augmented: list[list[int]], i: int, j: int) -> tuple[bool, bool, int, int, int]:
    """Cheapest first: an inner cell before a total, a non-zero before a zero, then smallest."""
    last_row, last_column = len(augmented) - 1, len(augmented[0]) - 1
    value = augmented[i][j]
    return (i == last_row or j == last_column, value == 0, value, i, j)


def _hide_lone_entries(
    augmented: list[list[int]], reasons: list[list[HiddenReason | None]]
) -> None:
    height, width = len(reasons), len(reasons[0])
    changed = True
    while changed:
        changed = False
        lines = [[(i, j) for j in range(width)] for i in range(height)]
        lines += [[(i, j) for i in range(height)] for j in range(width)]
        for line in lines:
            hidden = [entry for entry in line if reasons[entry[0]][entry[1]] is not None]
            if len(hidden) != 1:
                continue
            published = [entry for entry in line if reasons[entry[0]][entry[1]] is None]
            # Among equally cheap cells, prefer one whose other line also has a lone hidden
            # entry: one more hidden cell then protects two lines.
            i, j = min(
                published,
                key=lambda entry: (
                    _cost(augmented, *entry)[:3],
                    _hidden_in_crossing_line(reasons, line, entry) != 1,
                    entry,
                ),
            )
            reasons[i][j] = HiddenReason.COMPLEMENTARY
            changed = True


def _hidden_in_crossing_line(
    reasons: list[list[HiddenReason | None]],
    line: list[tuple[int, int]],
    entry: tuple[int, int],
) -> int:
    i, j = entry
    is_row = line[0][0] == line[-1][0]
    if is_row:
        return sum(row[j] is not None for row in reasons)
    return sum(reason is not None for reason in reasons[i])


def _find_bridge(
    reasons: list[list[HiddenReason | None]],
) -> tuple[_Side, _Side] | None:
    """The two sides joined by a hidden entry that lies on no cycle of hidden entries.

    Nodes are the rows and columns of the augmented table; each hidden entry is an edge
    between its row and its column. Without the bridge its row and its column fall into two
    separate groups (sides), and any cell joining a row of one side to a column of the other
    closes a cycle through the bridge. ``None`` when there is no bridge.
    """
    height, width = len(reasons), len(reasons[0])
    hidden = [(i, j) for i in range(height) for j in range(width) if reasons[i][j] is not None]
    columns_of_row: list[list[int]] = [[] for _ in range(height)]
    rows_of_column: list[list[int]] = [[] for _ in range(width)]
    for i, j in hidden:
        columns_of_row[i].append(j)
        rows_of_column[j].append(i)
    # Tables are small (tens of rows and columns), so a search per hidden entry is quick
    # and much easier to check than a linear-time bridge algorithm.
    for bridge in hidden:
        row_side = _reachable(bridge, columns_of_row, rows_of_column, start_at_row=True)
        if bridge[1] not in row_side.columns:
            column_side = _reachable(bridge, columns_of_row, rows_of_column, start_at_row=False)
            return row_side, column_side
    return None


@dataclass(frozen=True)
class _Side:
    rows: frozenset[int]
    columns: frozenset[int]


def _reachable(
    bridge: tuple[int, int],
    columns_of_row: list[list[int]],
    rows_of_column: list[list[int]],
    *,
    start_at_row: bool,
) -> _Side:
    """Rows and columns joined by hidden entries to one end of ``bridge``, not crossing it."""
    rows: set[int] = set()
    columns: set[int] = set()
    start = (True, bridge[0]) if start_at_row else (False, bridge[1])
    (rows if start_at_row else columns).add(start[1])
    stack = [start]
    while stack:
        is_row, index = stack.pop()
        if is_row:
            for j in columns_of_row[index]:
                if (index, j) != bridge and j not in columns:
                    columns.add(j)
                    stack.append((False, j))
        else:
            for i in rows_of_column[index]:
                if (i, index) != bridge and i not in rows:
                    rows.add(i)
                    stack.append((True, i))
    return _Side(rows=frozenset(rows), columns=frozenset(columns))


def _published(count: int, reason: HiddenReason | None, total: int | None) -> PublishedCell:
    if reason is not None:
        return PublishedCell(count=None, hidden=reason)
    share = None if not total else count / total
    return PublishedCell(count=count, share=share)


def _protected_table(
    augmented: list[list[int]],
    reasons: list[list[HiddenReason | None]],
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    minimum: int,
) -> ProtectedTable:
    rows, columns = len(row_labels), len(column_labels)
    grand_total = augmented[rows][columns]
    grand_total_published = None if reasons[rows][columns] else grand_total

    def column_total(j: int) -> int | None:
        return None if reasons[rows][j] else augmented[rows][j]

    cells = tuple(
        tuple(_published(augmented[i][j], reasons[i][j], column_total(j)) for j in range(columns))
        for i in range(rows)
    )
    group_disclosures = tuple(
        (i, j)
        for j in range(columns)
        for i in range(rows)
        if augmented[i][j] > 0
        and augmented[i][j] == augmented[rows][j]
        and not reasons[i][j]
        and rows > 1
    )
    return ProtectedTable(
        row_labels=tuple(row_labels),
        column_labels=tuple(column_labels),
        cells=cells,
        row_totals=tuple(
            _published(augmented[i][columns], reasons[i][columns], grand_total_published)
            for i in range(rows)
        ),
        column_totals=tuple(
            _published(augmented[rows][j], reasons[rows][j], grand_total_published)
            for j in range(columns)
        ),
        grand_total=_published(grand_total, reasons[rows][columns], None),
        minimum=minimum,
        group_disclosures=group_disclosures,
    )
