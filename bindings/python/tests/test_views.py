"""The core's views through the binding: rows, tables and DataFrames agree value by value."""

import datetime as dt

import pandas as pd
import polars as pl
import pytest

import dueregard

QUARTER_END = dt.date(2025, 3, 31)


def same_frames(table: dueregard.Table) -> list[dict[str, object]]:
    """The rows of a table, checked against its pandas and polars conversions."""
    rows = table.to_pylist()
    assert len(rows) == table.num_rows
    polars_rows = table.to_polars().to_dicts()
    assert polars_rows == rows
    pdf = table.to_pandas()
    assert list(pdf.columns) == table.column_names
    for got, want in zip(pdf.to_dict("records"), rows):
        for k, v in want.items():
            g = got[k]
            if v is None:
                assert g is None or pd.isna(g)
            elif isinstance(v, dt.date) and not isinstance(v, dt.datetime):
                assert pd.Timestamp(g).date() == v
            else:
                assert g == v
    return rows


def test_overdue_matches_summary_counts(tracker: dueregard.Tracker) -> None:
    rows = same_frames(tracker.overdue(as_of=QUARTER_END))
    summary = tracker.summary(as_of=QUARTER_END)
    assert sum(r["kind"] == "action" for r in rows) == summary.overdue_actions
    assert sum(r["kind"] == "milestone" for r in rows) == summary.overdue_milestones
    for r in rows:
        assert r["days_late"] == (QUARTER_END - r["due"]).days > 0
    ids = {a.id for a in tracker.actions}
    assert {r["id"] for r in rows if r["kind"] == "action"} <= ids


def test_as_of_defaults_to_last_event_date(tracker: dueregard.Tracker) -> None:
    last = tracker.last_event_at
    assert last is not None
    assert tracker.overdue().to_pylist() == tracker.overdue(as_of=last.date()).to_pylist()
    assert tracker.rag().as_of == last.date()
    assert dueregard.Tracker().overdue().num_rows == 0


def test_rag_report_tables_match_its_dict(tracker: dueregard.Tracker) -> None:
    report = tracker.rag(as_of=QUARTER_END)
    data = report.to_dict()
    for level in ["actions", "responses", "recommendations", "plans", "bodies"]:
        rows = same_frames(getattr(report, level))
        assert [r["id"] for r in rows] == [x["id"] for x in data[level]]
        assert [r["rag"] for r in rows] == [x["rag"] for x in data[level]]
        assert [r["reason"] for r in rows] == [x["reason"] for x in data[level]]
    levels = [v for v in data.values() if isinstance(v, list)]
    assert report.to_table().num_rows == sum(len(v) for v in levels)
    assert report.policy == dueregard.default_rag_policy()
    assert "RAG" in report._repr_html_()
    assert "RagReport" in repr(report)


def test_rag_policy_changes_ratings(tracker: dueregard.Tracker) -> None:
    strict = tracker.rag(as_of=QUARTER_END, policy={"amber_within_days": 3650})
    default = tracker.rag(as_of=QUARTER_END)
    assert strict.policy["amber_within_days"] == 3650
    greens = lambda r: sum(x["rag"] == "green" for x in r.actions.to_pylist())  # noqa: E731
    assert greens(strict) <= greens(default)
    with pytest.raises(dueregard.InvalidInputError):
        tracker.rag(policy={"amber_within_days": "soon"})


def test_coverage(tracker: dueregard.Tracker) -> None:
    cov = tracker.coverage(as_of=QUARTER_END)
    rows = same_frames(cov.rows)
    data = cov.to_dict()
    assert [r["recommendation"] for r in rows] == [x["recommendation"] for x in data["rows"]]
    assert [r["actions"] for r in rows] == ["; ".join(x["actions"]) for x in data["rows"]]
    assert cov.without_action == data["without_action"]
    assert cov.accepted_without_plan == data["accepted_without_plan"]
    assert cov.actions_answering_nothing == data["actions_answering_nothing"]
    assert cov.as_of == QUARTER_END
    assert "Coverage" in repr(cov)


@pytest.mark.parametrize("by", ["review", "recommendation", "body", "plan", "theme", "period"])
def test_rollup(tracker: dueregard.Tracker, by: str) -> None:
    rows = same_frames(tracker.rollup(by, as_of=QUARTER_END))
    assert rows, by
    assert len({r["group"] for r in rows}) == len(rows)
    if by == "plan":
        assert sum(r["actions"] for r in rows) == len(tracker.actions)


def test_rollup_rejects_bad_arguments(tracker: dueregard.Tracker) -> None:
    with pytest.raises(dueregard.InvalidInputError):
        tracker.rollup("colour")
    with pytest.raises(dueregard.DueregardError):
        tracker.rollup("period", year_start_month=13)


def test_change_since_last_quarter(tracker: dueregard.Tracker) -> None:
    previous = dueregard.Period.of(QUARTER_END).previous()
    change = tracker.change(previous.end, QUARTER_END)
    data = change.to_dict()
    assert change.start == previous.end and change.end == QUARTER_END
    assert change.events == data["events"]
    for name in ["moved", "slipped", "evidence", "decisions", "indicators"]:
        assert getattr(change, name).num_rows == len(data[name])
        same_frames(getattr(change, name))
    assert [r["to"] for r in change.moved.to_pylist()] == [m["to"] for m in data["moved"]]
    assert "Change" in repr(change)


def test_compare(tracker: dueregard.Tracker) -> None:
    review = tracker.reviews[0].id
    cmp = tracker.compare(review, as_of=QUARTER_END)
    data = cmp.to_dict()
    assert cmp.review == review and cmp.bodies == data["bodies"]
    cells = same_frames(cmp.cells)
    assert len(cells) == sum(len(r["cells"]) for r in data["rows"])
    totals = same_frames(cmp.totals)
    assert [t["body"] for t in totals] == [t["body"] for t in data["totals"]]
    with pytest.raises(dueregard.UnknownIdError):
        tracker.compare("no-such-review")


def test_slippage_progress_chase_ratings(tracker: dueregard.Tracker) -> None:
    slips = same_frames(tracker.slippage(as_of=QUARTER_END, serial_after=1))
    for s in slips:
        assert s["current"] > s["original"] or s["days_moved"] <= 0
    strict = tracker.slippage(as_of=QUARTER_END, serial_after=5).to_pylist()
    assert sum(s["serial"] for s in strict) <= sum(s["serial"] for s in slips)
    progress = same_frames(tracker.progress(as_of=QUARTER_END))
    assert any(c.startswith("states.") for c in tracker.progress().column_names)
    for p in progress:
        assert p["weighted_pct"] is None or 0 <= p["weighted_pct"] <= 100
    chase = same_frames(tracker.chase(as_of=QUARTER_END, days=90))
    for c in chase:
        assert c["days_left"] <= 90
    assert tracker.chase(as_of=QUARTER_END, days=0).num_rows <= len(chase)
    ratings = same_frames(tracker.ratings(as_of=QUARTER_END))
    for r in ratings:
        assert r["disagree"] in (True, False)


def test_period() -> None:
    q = dueregard.Period.of(dt.date(2025, 2, 1))
    assert q.start <= dt.date(2025, 2, 1) <= q.end
    assert q.contains(dt.date(2025, 2, 1)) and not q.contains(q.end + dt.timedelta(days=1))
    assert q.previous().end == q.start - dt.timedelta(days=1)
    assert dueregard.Period.parse(q.label).start == q.start
    assert "Period" in repr(q)
    cal = dueregard.Period.of(dt.date(2025, 2, 1), year_start_month=1)
    assert cal.start == dt.date(2025, 1, 1)
    with pytest.raises(dueregard.DueregardError):
        dueregard.Period.parse("not a quarter")


def test_views_reject_bad_dates(tracker: dueregard.Tracker) -> None:
    with pytest.raises(dueregard.InvalidInputError):
        tracker.overdue(as_of="2025-03-31")  # type: ignore[arg-type]


def test_polars_view_columns_are_typed(tracker: dueregard.Tracker) -> None:
    df = tracker.overdue(as_of=QUARTER_END).to_polars()
    assert df.schema["due"] == pl.Date
    assert df.schema["days_late"] == pl.Int64
