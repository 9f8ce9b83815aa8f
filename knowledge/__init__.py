"""The index and answering from it: no Telegram, no command line, no ingestion."""
