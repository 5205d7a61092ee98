"""Loopback ports: pick free ones for new services and tell whether something answers on one.

A port picked here is free when picked, not reserved; the services bind it a moment later, and a
clash (rare on a developer machine) shows up as a start failure that ``up`` reports.
"""

from __future__ import annotations

import socket

__all__ = ["HOST", "free_port", "is_free", "is_listening"]

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def is_free(port: int) -> bool:
    """Whether ``port`` can be bound on loopback (so a restarted service may take it again)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As servers do: connections of a stopped server lingering in TIME_WAIT do not block it.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
        return True


def is_listening(port: int, timeout: float = 0.5) -> bool:
    """Whether something accepts TCP connections on ``port`` on loopback."""
    try:
        with socket.create_connection((HOST, port), timeout=timeout):
            return True
    except OSError:
        return False
