from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveys.disclosure import (
    HiddenReason,
    merge_columns,
    merge_sparse_bands,
    merged_band_label,
    protect_counts,
    protect_table,
)


def protect(counts, minimum=10):
    return protect_table(
        counts,
        row_labels=[f"answer {i}" for i in range(len(counts))],
        column_labels=[f"group {j}" for j in range(len(counts[0]))],
        minimum=minimum,
    )


def published_grid(table):
    """The table as an attacker sees it: totals as a last column and row, None where hidden."""
    grid = [
        [cell.count for cell in row] + [total.count]
        for row, total in zip(table.cells, table.row_totals, strict=True)
    ]
    grid.append([total.count for total in table.column_totals] + [table.grand_total.count])
    return grid


def lines_of(grid):
    """Each published equation as (entries that add up, the entry they add up to)."""
    height, width = len(grid), len(grid[0])
    for i in range(height):
        yield [(i, j) for j in range(width - 1)], (i, width - 1)
    for j in range(width):
        yield [(i, j) for i in range(height - 1)], (height - 1, j)


def recover_by_subtraction(grid):
    """The attack the brief names: wherever a line has exactly one unknown entry, work it out
    from the others, and repeat, since each recovery may unlock another line."""
    known = [row[:] for row in grid]
    recovered = set()
    progress = True
    while progress:
        progress = False
        for parts, total in lines_of(known):
            entries = [*parts, total]
            unknown = [entry for entry in entries if known[entry[0]][entry[1]] is None]
            if len(unknown) != 1:
                continue
            (i, j) = unknown[0]
            if (i, j) == total:
                value = sum(known[a][b] for a, b in parts)
            else:
                value = known[total[0]][total[1]] - sum(
                    known[a][b] for a, b in parts if (a, b) != (i, j)
                )
            known[i][j] = value
            recovered.add((i, j))
            progress = True
    return recovered, known


def determined_by_linear_algebra(grid):
    """Hidden entries fixed exactly by some linear combination of the published equations."""
    hidden = [(i, j) for i, row in enumerate(grid) for j, value in enumerate(row) if value is None]
    position = {entry: index for index, entry in enumerate(hidden)}
    equations = []
    for parts, total in lines_of(grid):
        coefficients = [Fraction(0)] * len(hidden)
        for entry in parts:
            if entry in position:
                coefficients[position[entry]] += 1
        if total in position:
            coefficients[position[total]] -= 1
        equations.append(coefficients)
    # Reduced row echelon form; a hidden entry is determined exactly when its unit vector lies
    # in the span of the equations.
    pivots = []
    for coefficients in equations:
        for pivot_column, pivot_row in pivots:
            if coefficients[pivot_column]:
                factor = coefficients[pivot_column]
                coefficients = [
                    a - factor * b for a, b in zip(coefficients, pivot_row, strict=True)
                ]
        leading = next((index for index, value in enumerate(coefficients) if value), None)
        if leading is None:
            continue
        scale = coefficients[leading]
        coefficients = [value / scale for value in coefficients]
        reduced = []
        for pivot_column, pivot_row in pivots:
            if pivot_row[leading]:
                factor = pivot_row[leading]
                pivot_row = [a - factor * b for a, b in zip(pivot_row, coefficients, strict=True)]
            reduced.append((pivot_column, pivot_row))
        pivots = [*reduced, (leading, coefficients)]
    determined = set()
    for index, entry in enumerate(hidden):
        vector = [Fraction(0)] * len(hidden)
        vector[index] = Fraction(1)
        for pivot_column, pivot_row in pivots:
            if vector[pivot_column]:
                factor = vector[pivot_column]
                vector = [a - factor * b for a, b in zip(vector, pivot_row, strict=True)]
        if not any(vector):
            determined.add(entry)
    return determined


def show(table):
    return [
        [cell.count if cell.count is not None else cell.hidden.value for cell in row]
        for row in table.cells
    ]


def test_small_cells_are_hidden_and_others_hidden_so_they_cannot_be_worked_out():
    table = protect([[3, 20, 30], [15, 12, 40], [25, 30, 50]])

    # A 2-by-2 block: each hidden cell shares its row and its column with another.
    assert show(table) == [
        ["small", "complementary", 30],
        ["complementary", "complementary", 40],
        [25, 30, 50],
    ]
    assert table.cells[0][0].hidden is HiddenReason.SMALL
    assert table.cells[0][0].share is None
    assert recover_by_subtraction(published_grid(table))[0] == set()
    # Totals stay published: every percentage keeps its base.
    assert [total.count for total in table.row_totals] == [53, 67, 105]
    assert [total.count for total in table.column_totals] == [43, 62, 120]
    assert table.grand_total.count == 225


def test_the_smallest_cells_are_chosen_to_protect_a_small_one():
    table = protect([[4, 11, 90], [50, 60, 70], [33, 12, 80]])

    assert show(table) == [
        ["small", "complementary", 90],
        [50, 60, 70],
        ["complementary", "complementary", 80],
    ]


def test_zeros_are_published_and_a_band_where_everyone_agreed_is_reported():
    table = protect([[0, 25, 30], [40, 0, 12], [0, 0, 20]])

    assert table.hidden_count == 0
    assert table.cells[0][0].count == 0
    assert table.cells[1][0].share == 1
    # Everyone in group 0 gave answer 1, and everyone in group 1 answer 0.
    assert table.group_disclosures == ((1, 0), (0, 1))


def test_a_one_column_table_hides_the_row_totals_that_would_give_cells_away():
    table = protect([[3], [15], [25]])

    assert recover_by_subtraction(published_grid(table))[0] == set()
    assert table.row_totals[0].hidden is HiddenReason.COMPLEMENTARY
    assert table.column_totals[0].count == 43


def test_percentages_of_hidden_cells_are_hidden_and_others_are_of_the_column():
    table = protect([[5, 50], [20, 50], [30, 0]])

    for row in table.cells:
        for cell in row:
            assert (cell.share is None) == cell.is_hidden
    assert table.cells[2][0].share == pytest.approx(30 / 55)


BRIDGED_BLOCKS = [
    [5, 5, 100, 100],
    [5, 5, 5, 100],
    [100, 100, 5, 5],
    [100, 100, 5, 5],
]


def test_a_bridge_between_two_blocks_of_hidden_cells_is_closed():
    # Two 2-by-2 blocks of small cells joined by one small cell: every row and column has two
    # hidden cells, yet the joining cell can be worked out by adding and subtracting
    # equations unless the algorithm closes a cycle through it.
    table = protect(BRIDGED_BLOCKS)

    assert table.cells[1][2].is_hidden
    assert determined_by_linear_algebra(published_grid(table)) == set()


def test_the_linear_algebra_attacker_does_find_a_bridge():
    # The same table with only its small cells hidden: no line has a lone hidden cell, so
    # subtraction gets nowhere, but the joining cell is still determined.
    counts = BRIDGED_BLOCKS
    grid = [[None if value == 5 else value for value in row] + [sum(row)] for row in counts]
    grid.append([sum(column) for column in zip(*counts, strict=True)] + [sum(map(sum, counts))])

    assert recover_by_subtraction(grid)[0] == set()
    assert determined_by_linear_algebra(grid) == {(1, 2)}


def test_a_minimum_of_one_hides_nothing():
    assert protect([[1, 2], [3, 4]], minimum=1).hidden_count == 0


def test_counts_must_match_the_labels():
    with pytest.raises(ValueError, match="one row per row label"):
        protect_table([[1, 2]], row_labels=["a", "b"], column_labels=["x", "y"])


def test_one_way_counts_hide_a_lone_small_count_with_the_next_smallest():
    protected = protect_counts(["bus", "cycle", "walk", "car"], [4, 30, 12, 0])

    assert [cell.hidden for cell in protected.cells] == [
        HiddenReason.SMALL,
        None,
        HiddenReason.COMPLEMENTARY,
        None,
    ]
    assert protected.total.count == 46
    assert protected.cells[1].share == pytest.approx(30 / 46)


def test_one_way_counts_with_a_single_option_hide_the_total():
    protected = protect_counts(["bus"], [4])

    assert protected.cells[0].hidden is HiddenReason.SMALL
    assert protected.total.hidden is HiddenReason.COMPLEMENTARY


def test_sparse_bands_merge_into_their_smaller_neighbour():
    labels = ["16\u201324", "25\u201334", "35\u201354", "55\u201374", "75+"]
    counts = [[2, 8, 40, 30, 3], [1, 4, 30, 30, 2]]

    merged = merge_sparse_bands(labels, counts, threshold=10)

    assert merged.labels == ("16\u201334", "35\u201354", "55+")
    assert merged.members == ((0, 1), (2,), (3, 4))
    assert merged.counts == ((10, 40, 33), (5, 30, 32))
    assert merge_columns(counts, merged.members) == merged.counts


def test_merging_stops_at_one_band():
    merged = merge_sparse_bands(["16-24", "25+"], [[1, 2]], threshold=10)

    assert merged.labels == ("16+",)


def test_labels_of_other_shapes_are_listed():
    assert merged_band_label(["Under 16", "16-24"]) == "Under 16, 16-24"


# Tables dense with small cells are the ones where complementary suppression gets hard.
small_or_large = st.one_of(
    st.sampled_from([0, 1, 3, 5, 8, 12, 20, 50, 100]), st.integers(0, 12), st.integers(0, 150)
)


@st.composite
def tables(draw):
    rows = draw(st.integers(1, 7))
    columns = draw(st.integers(1, 7))
    counts = draw(
        st.lists(
            st.lists(small_or_large, min_size=columns, max_size=columns),
            min_size=rows,
            max_size=rows,
        )
    )
    return counts, draw(st.integers(1, 20))


@settings(max_examples=200, deadline=None)
@given(tables())
def test_no_hidden_cell_can_be_worked_out_from_the_published_totals(table_and_minimum):
    counts, minimum = table_and_minimum

    table = protect(counts, minimum)
    grid = published_grid(table)

    recovered, _ = recover_by_subtraction(grid)
    assert recovered == set()
    assert determined_by_linear_algebra(grid) == set()


@settings(max_examples=200, deadline=None)
@given(tables())
def test_every_published_cell_is_true_and_either_zero_or_at_least_the_minimum(table_and_minimum):
    counts, minimum = table_and_minimum

    table = protect(counts, minimum)

    for i, row in enumerate(table.cells):
        for j, cell in enumerate(row):
            if cell.is_hidden:
                assert cell.count is None
                assert cell.share is None
                small = 0 < counts[i][j] < minimum
                assert (cell.hidden is HiddenReason.SMALL) == small
            else:
                assert cell.count == counts[i][j]
                assert cell.count == 0 or cell.count >= minimum
    for i, total in enumerate(table.row_totals):
        assert total.count in (None, sum(counts[i]))


@settings(max_examples=150, deadline=None)
@given(
    counts=st.lists(small_or_large, min_size=1, max_size=10),
    minimum=st.integers(1, 20),
)
def test_one_way_counts_never_leave_a_single_hidden_cell(counts, minimum):
    protected = protect_counts(
        [str(index) for index in range(len(counts))], counts, minimum=minimum
    )

    entries = [*protected.cells, protected.total]
    assert sum(entry.is_hidden for entry in entries) != 1
    for cell, count in zip(protected.cells, counts, strict=True):
        assert cell.is_hidden or cell.count == 0 or cell.count >= minimum


@settings(max_examples=150, deadline=None)
@given(
    totals=st.lists(st.integers(0, 40), min_size=1, max_size=8),
    threshold=st.integers(1, 30),
)
def test_merged_bands_reach_the_threshold_and_keep_their_order(totals, threshold):
    labels = [f"{10 * index}-{10 * index + 9}" for index in range(len(totals))]

    merged = merge_sparse_bands(labels, [totals], threshold=threshold)

    assert [index for group in merged.members for index in group] == list(range(len(totals)))
    assert sum(merged.counts[0]) == sum(totals)
    if len(merged.members) > 1:
        assert min(merged.counts[0]) >= threshold
