"""Tables checked value by value against the entity objects the core returns."""

import datetime as dt

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import dueregard


def none_if_na(v: object) -> object:
    return None if v is None or (not isinstance(v, str) and pd.isna(v)) else v


def test_table_protocol(tracker: dueregard.Tracker) -> None:
    t = tracker.actions_table()
    assert len(t) == t.num_rows == len(tracker.actions)
    assert t.column_names[:3] == ["id", "plan", "title"]
    assert "35 rows" in repr(t) or f"{t.num_rows} rows" in repr(t)
    assert pa.table(t).num_rows == t.num_rows
    assert t.to_pyarrow().schema.field("due").type == pa.date32()
    assert pa.schema(t).names == t.column_names


def test_actions_table_matches_entities(tracker: dueregard.Tracker) -> None:
    df = tracker.actions_table().to_pandas()
    assert list(df["id"]) == [a.id for a in tracker.actions]
    for row, a in zip(df.itertuples(index=False), tracker.actions):
        assert row.plan == a.plan and row.title == a.title and row.owner == a.owner
        assert row.state == a.state.value
        assert pd.Timestamp(row.due).date() == a.due
        assert pd.Timestamp(row.due_original).date() == a.due_original
        assert row.days_moved == a.days_moved and row.revisions == a.revisions
        assert row.answers == "; ".join(a.answers)
        assert none_if_na(row.weight) == a.weight
        assert none_if_na(row.self_rag) == (a.self_rating.value if a.self_rating else None)
        assert none_if_na(row.independent_rag) == (
            a.independent_rating.value if a.independent_rating else None
        )


def test_polars_matches_pandas(tracker: dueregard.Tracker) -> None:
    for table in (tracker.actions_table(), tracker.milestones_table(),
                  tracker.recommendations_table(), tracker.events_table()):
        pdf = table.to_pandas()
        pldf = table.to_polars()
        assert isinstance(pldf, pl.DataFrame)
        assert pldf.columns == list(pdf.columns) and pldf.height == len(pdf)
        assert pldf["id" if "id" in pldf.columns else "seq"].to_list() == list(
            pdf["id" if "id" in pdf.columns else "seq"]
        )


def test_milestones_table(tracker: dueregard.Tracker) -> None:
    df = tracker.milestones_table().to_polars()
    for row, m in zip(df.iter_rows(named=True), tracker.milestones):
        assert row["id"] == m.id and row["action"] == m.action and row["state"] == m.state.value
        assert row["due"] == m.due and row["due_original"] == m.due_original
        assert row["achieved_on"] == m.achieved_on and row["times_missed"] == m.times_missed


def test_recommendations_and_responses_tables(tracker: dueregard.Tracker) -> None:
    df = tracker.recommendations_table().to_polars()
    for row, r in zip(df.iter_rows(named=True), tracker.recommendations):
        assert (row["id"], row["review"], row["number"]) == (r.id, r.review, r.number)
        assert row["priority"] == r.priority and row["due"] == r.due
        assert row["addressees"] == "; ".join(r.addressees)
        assert row["actions"] == sum(1 for a in tracker.actions if r.id in a.answers)
    on = dt.date(2023, 5, 1)
    rdf = tracker.responses_table(as_of=on).to_polars()
    for row, r in zip(rdf.iter_rows(named=True), tracker.responses):
        assert row["id"] == r.id and row["state"] == r.state.value
        assert row["implementation"] == r.implementation.value
        assert row["reply_deadline"] == r.reply_deadline(on)


def test_events_table(tracker: dueregard.Tracker) -> None:
    df = tracker.events_table().to_polars()
    assert df.height == len(tracker)
    assert str(df.schema["at"]) == "Datetime(time_unit='us', time_zone='UTC')"
    for row, e in zip(df.iter_rows(named=True), tracker.events):
        assert row["seq"] == e.seq and row["at"] == e.at and row["actor"] == e.actor
        assert row["event"] == e.name and row["command"] == e.command.value
        assert row["subject_kind"] == e.subject_kind.value and row["subject_id"] == e.subject_id
        assert row["reason"] == e.reason


def test_summary_plans_table(tracker: dueregard.Tracker) -> None:
    s = tracker.summary(as_of=dt.date(2025, 3, 31))
    plans = s.to_dict()["plans"]
    df = s.plans().to_polars()
    assert df.to_dicts() == [
        {k: p[k] for k in ("plan", "title", "owner", "actions", "done", "verified",
                           "overdue", "percent_done")}
        for p in plans
    ]
    assert df["actions"].sum() == len(tracker.actions)


def test_missing_dataframe_library_gives_a_helpful_error(
    tracker: dueregard.Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "polars", None)
    with pytest.raises(ImportError, match=r"pip install 'dueregard\[polars\]'"):
        tracker.actions_table().to_polars()
