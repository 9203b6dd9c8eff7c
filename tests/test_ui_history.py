"""briefreader.ui.history: back and forward, bounded."""

from __future__ import annotations

import pytest

from briefreader.ui.history import History


def test_back_and_forward_as_in_a_browser() -> None:
    history: History[str] = History()
    assert history.back("a") is None and history.forward("a") is None
    history.push("a")  # leaving a for b
    history.push("b")  # leaving b for c
    assert history.back("c") == "b"
    assert history.back("b") == "a"
    assert history.back("a") is None
    assert history.forward("a") == "b"
    assert history.forward("b") == "c"
    assert history.forward("c") is None
    # A new jump after going back forgets the way forward.
    assert history.back("c") == "b"
    history.push("b")
    assert not history.can_go_forward and history.forward("d") is None
    assert history.back("d") == "b"


def test_bounded_oldest_dropped_first() -> None:
    history: History[int] = History(size=3)
    for place in range(5):
        history.push(place)
    assert len(history) == 3
    assert [history.back(9), history.back(8), history.back(7), history.back(6)] == [4, 3, 2, None]
    with pytest.raises(ValueError):
        History(size=0)
