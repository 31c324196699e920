"""The life of a used tag (DESIGN §6) and its guards. Pure Python, no Django.

Unused tags live as ranges (registered, issued, returned, voided, destroyed); this module is
about a tag once it is on an animal. A tag is applied once; a lost, cancelled, recovered or
destroyed tag never comes back.
"""

from __future__ import annotations

UNUSED = "unused"
APPLIED = "applied"
IN_TRANSIT = "in_transit"
LOST = "lost"
CANCELLED = "cancelled"
RECOVERED = "recovered"
DESTROYED = "destroyed"

# event → {state before: state after}
TRANSITIONS: dict[str, dict[str, str]] = {
    # A vaccinator or a scale farm puts an unused tag on an animal.
    "apply": {UNUSED: APPLIED},
    # An official vet issues a certificate: the animal leaves with its tag.
    "certify": {APPLIED: IN_TRANSIT},
    # The certificate is revoked before the animals left.
    "revoke": {IN_TRANSIT: APPLIED},
    # The animal arrives at a farm and stays tagged there.
    "arrive": {IN_TRANSIT: APPLIED},
    # Recovered at slaughter, and cancelled in the same step.
    "recover": {APPLIED: RECOVERED, IN_TRANSIT: RECOVERED},
    # Death or harmless disposal: the tag is cancelled with the animal.
    "cancel": {APPLIED: CANCELLED, IN_TRANSIT: CANCELLED},
    # The tag fell off or was damaged; a replacement goes in the other ear.
    "lose": {APPLIED: LOST, IN_TRANSIT: LOST},
    # Recovered tags are destroyed by the county in a recorded batch.
    "destroy": {RECOVERED: DESTROYED},
}
TERMINAL = frozenset({LOST, CANCELLED, DESTROYED})


class TransitionError(ValueError):
    def __init__(self, state: str, event: str) -> None:
        super().__init__(f"a tag that is {state} cannot be {event}")
        self.state = state
        self.event = event


def next_state(state: str, event: str) -> str:
    """The state after ``event``; refuses every step the rules do not allow."""
    allowed = TRANSITIONS.get(event)
    if allowed is None:
        raise ValueError(f"unknown event {event!r}")
    if state not in allowed:
        raise TransitionError(state, event)
    return allowed[state]
