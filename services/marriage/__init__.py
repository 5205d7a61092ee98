"""结婚一件事 — marriage: the saga table comes with its own issue; see the domain brief, steps M0–M11."""
