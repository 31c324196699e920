"""The exchange keeps no tables of its own: it delivers the outbox (``earmark.audit``)."""
