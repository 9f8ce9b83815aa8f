"""The admin commands of `indgang`: ingest, ask, eval, report (each registers itself)."""
