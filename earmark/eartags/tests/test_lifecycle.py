from __future__ import annotations

import pytest

from earmark.eartags import lifecycle
from earmark.eartags.lifecycle import TransitionError, next_state


def test_a_tag_lives_from_application_to_destruction() -> None:
    state = lifecycle.UNUSED
    for event in ("apply", "certify", "arrive", "certify", "recover", "destroy"):
        state = next_state(state, event)
    assert state == lifecycle.DESTROYED


@pytest.mark.parametrize(
    ("state", "event"),
    [
        ("applied", "apply"),
        ("cancelled", "apply"),
        ("lost", "apply"),
        ("recovered", "apply"),
        ("destroyed", "apply"),
        ("cancelled", "certify"),
        ("lost", "arrive"),
        ("recovered", "certify"),
        ("applied", "destroy"),
        ("unused", "certify"),
    ],
)
def test_no_tag_is_used_twice_or_comes_back(state: str, event: str) -> None:
    with pytest.raises(TransitionError):
        next_state(state, event)


def test_terminal_states_lead_nowhere_except_recovered_to_destroyed() -> None:
    for state in lifecycle.TERMINAL:
        for event in lifecycle.TRANSITIONS:
            with pytest.raises(TransitionError):
                next_state(state, event)
    assert next_state(lifecycle.RECOVERED, "destroy") == lifecycle.DESTROYED
