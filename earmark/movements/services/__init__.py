"""Every write of the movements app, one module per concept."""
