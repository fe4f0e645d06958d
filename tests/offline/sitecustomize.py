"""Offline guard: refuse every outbound connection except to loopback.

Put this folder first on ``PYTHONPATH`` and every Python process started with that
environment (pytest workers, notebook kernels, subprocesses) fails loudly when it tries
to reach the network, which proves the workbook runs offline after install.
"""

import ipaddress
import socket

_original_connect = socket.socket.connect
_original_connect_ex = socket.socket.connect_ex


def _is_allowed(address: object) -> bool:
    if not isinstance(address, tuple) or not address:
        return True  # AF_UNIX paths and other local families
    host = str(address[0])
    if host in {"localhost", ""}:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _is_allowed(address):
        raise OSError(f"offline guard: outbound connection to {address!r} refused")
    return _original_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if not _is_allowed(address):
        raise OSError(f"offline guard: outbound connection to {address!r} refused")
    return _original_connect_ex(self, address)


socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
