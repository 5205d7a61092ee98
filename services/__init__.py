"""One package per one-thing: each holds its saga step table, the builders beside it, and a README."""
