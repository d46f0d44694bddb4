"""AI DJ service adapters."""
