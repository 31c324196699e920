"""Every write of the quarantine app, one module per concept."""
