"""The Telegram adapter and the terminal chat, over the same core."""
