"""Every read of the eartags app, one module per concept: inventory (holdings, documents, one
tag) and checks (the legitimacy check of typed numbers)."""
