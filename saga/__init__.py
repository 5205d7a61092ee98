"""The saga runtime: definitions, the pure engine, timers, and the Faust and Redis edges."""
