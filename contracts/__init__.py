"""The published language of OneThing: envelopes, topics, identifiers and every message type.

This package imports nothing else from the repository, so that an integration team can vendor it
on its own. Everything that crosses a Kafka topic or an HTTP edge is defined here as a pydantic v2
model.
"""
