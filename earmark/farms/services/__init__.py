"""Every write of the farms app, one module per concept."""
