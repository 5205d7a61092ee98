"""A department over HTTP: the server a simulator sits behind, the client adapter, the breaker.

This is the shape of a real integration: ``HttpAdapter`` is what gets pointed at a
department's gateway, and the same contract tests run through it as against the simulator.
"""
