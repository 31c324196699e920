"""Every read of the immunization app, one module per concept: protection (which animals a
compulsory vaccination still covers), records (sessions, animals, legacy records, the
certificate's summary), the catalogue (vaccines, diseases, species) and the farms' own
veterinarians."""
