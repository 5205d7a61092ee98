"""A throwaway Kafka (KRaft, single node) and Redis on loopback, run from the repository itself.

The broker's jars are resolved from Maven Central into a cache outside the repository, Redis comes
from the system's ``redis-server``; both run as plain background processes whose pids, data and logs
live in ``<repo>/.stack``. ``python -m deploy.local.stack up|down|status|env`` drives it.
"""
