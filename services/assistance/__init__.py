"""帮扶救助一件事 — help and assistance: the saga table comes with its own issue; see ONE-THINGS.md (H0–H10)."""
