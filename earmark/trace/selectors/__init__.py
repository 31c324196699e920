"""Every read of the trace app, one module per concept: traces (of a tag, from a premises, an
investigation), premises (the movement graph) and anomalies."""
