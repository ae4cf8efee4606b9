"""Editor aids: the admin's forms, the care-card and source checks, the Markdown endpoints."""
