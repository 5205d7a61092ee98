"""Deployment tooling: the local Kafka and Redis stack, topic provisioning and the round-trip demo.

Nothing here is imported by the services themselves; these are the commands behind ``make up``,
``make down`` and ``make demo``, and the functions the test fixtures call to get a running stack.
"""
