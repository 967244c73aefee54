import datetime as dt

import pytest

import dueregard


@pytest.fixture
def tracker() -> dueregard.Tracker:
    """A fresh copy of the Casey example tracker."""
    return dueregard.Tracker.example()


@pytest.fixture
def after(tracker: dueregard.Tracker) -> dt.datetime:
    """A time one day after the example's last event, so new commands are in date order."""
    last = tracker.last_event_at
    assert last is not None
    return last + dt.timedelta(days=1)
