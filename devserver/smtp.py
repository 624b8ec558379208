"""An SMTP server on loopback for the tests and `make faults` to receive the outbox's e-mail (aiosmtpd, a dev
dependency)."""

import socket

from aiosmtpd.controller import Controller


class LoopbackController(Controller):
    """An SMTP server on 127.0.0.1 on a port the kernel chose (bound before starting: no race for the port)."""

    def __init__(self, handler):
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        super().__init__(handler, hostname="127.0.0.1", port=self._socket.getsockname()[1])

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self._socket)
