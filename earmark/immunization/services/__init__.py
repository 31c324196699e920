"""Every write of the immunization app, one module per concept."""
