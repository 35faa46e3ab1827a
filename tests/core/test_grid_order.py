"""The appendix's row order: the unit's, carried from month to month (`grid_order`)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tthc.core.catalogue import grid_order

CATALOGUE = ("A", "B", "C", "D", "E")


def test_fields_in_catalogue_order_keep_the_catalogue_order() -> None:
    assert grid_order(["B", "D"], CATALOGUE) == ["A", "B", "C", "D", "E"]


def test_listed_fields_keep_their_own_order_the_others_their_catalogue_place() -> None:
    # The seed lists Người có công (D here) before Đất đai (B): at B's catalogue place the
    # walk brings out D, then B; C and E keep their places among them.
    assert grid_order(["A", "D", "B"], CATALOGUE) == ["A", "D", "B", "C", "E"]


def test_a_field_outside_the_catalogue_goes_last() -> None:
    assert grid_order(["X", "A"], CATALOGUE) == ["X", "A", "B", "C", "D", "E"]
    assert grid_order(["A", "X"], CATALOGUE) == ["A", "B", "C", "D", "E", "X"]


def test_names_match_as_field_keys() -> None:
    assert grid_order(["  b "], ("A", "B")) == ["A", "  b "]


@given(
    st.permutations((*CATALOGUE, "X", "Y")).flatmap(
        lambda order: st.tuples(
            st.just(list(order)), st.lists(st.booleans(), min_size=7, max_size=7)
        )
    )
)
def test_a_workbook_s_order_is_the_next_month_s(drawn: tuple[list[str], list[bool]]) -> None:
    """Whatever a month listed, the next month's grid (all its rows listed) is the same order,
    and the listed fields keep their relative order."""
    order, keep = drawn
    listed = [name for name, kept in zip(order, keep, strict=True) if kept]
    month = grid_order(listed, CATALOGUE)
    assert [name for name in month if name in listed] == listed
    assert sorted(month) == sorted(set(CATALOGUE) | set(listed))
    assert grid_order(month, CATALOGUE) == month
