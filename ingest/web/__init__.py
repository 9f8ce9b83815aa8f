"""Websites as sources: sitemaps and crawls, polite fetching, main-text extraction, state."""
