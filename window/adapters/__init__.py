"""The real adapters behind the window's ports: Kafka for publishing, Redis for the read model and
the idempotency memory, a JSON file for the windows' API keys. Each is built in
``window.bootstrap`` and nowhere else; none connects when imported."""
