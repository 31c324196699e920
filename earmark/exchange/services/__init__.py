"""The exchange's writes: what a province administrator does to the outbox, and what the
platform hands over stored here."""
