"""Every write of the eartags app, one module per concept."""
