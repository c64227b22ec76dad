"""What the process serve's workers are forked from imports first
(server/supervisor.py): the server's modules, loaded once for all of them,
their objects frozen out of the collector's passes (kept by every fork)."""

from server.supervisor import frozen_imports

with frozen_imports():
    import server.main  # noqa: F401
