"""Questions and votes in SQLite, and the scrubbing of personal data before anything is kept."""
