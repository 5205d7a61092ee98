"""``make demo``: enveloped pings go through Kafka to a Faust agent that records each one in Redis.

``app`` is the Faust application (one agent), ``worker`` runs it as a process, ``roundtrip`` has the
pieces a caller needs (publish, run a worker, wait for the records) and ``__main__`` is the command.
The integration tests drive the same pieces, so the demo cannot rot unnoticed.
"""
