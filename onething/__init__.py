"""Process-wide plumbing shared by every OneThing service: typed settings and structured logs."""
