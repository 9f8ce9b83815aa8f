"""From a question to an answer: retrieval, the evidence check, quotes, rendering, follow-ups."""
