"""A real HTTP proxy on 127.0.0.1 that fails the way a phone's connection fails.

It sits between the app's client and the live test server, reads each request whole and, with a
seeded random, does one of:

* ``drop_before``: closes the connection without forwarding (no signal);
* ``drop_after``: forwards, lets the server act, then closes without answering (the app never
  hears: the duplicate case);
* ``error_before``: answers 500 without forwarding (a struggling gateway);
* ``error_after``: forwards, then answers 500 in place of the server's answer (the server acted);
* ``stall``: holds the connection longer than the client waits, then forwards (the client has
  timed out, and the server acts anyway);
* ``forward``: passes the request and the answer through.

Faults come from a shuffled deck holding each kind once, so any five faults in a row include
every kind and a test can assert that each really happened (``counts``); ``kinds`` narrows
the deck. One connection carries
one request (``Connection: close``), as the app's client sends.
"""

from __future__ import annotations

import contextlib
import random
import socket
import struct
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

FAULTS = ("drop_before", "drop_after", "error_before", "error_after", "stall")
_ERROR_BODY = b"<html><body><h1>Internal Server Error</h1></body></html>"
_ERROR = (
    b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/html\r\nConnection: close\r\n"
    + f"Content-Length: {len(_ERROR_BODY)}\r\n\r\n".encode()
    + _ERROR_BODY
)


class FaultProxy:
    def __init__(
        self,
        upstream: str,
        *,
        fault_rate: float = 0.25,
        seed: int = 8,
        stall_seconds: float = 3.0,
        kinds: tuple[str, ...] = FAULTS,
    ) -> None:
        host_port = upstream.split("://", 1)[-1].split("/", 1)[0]
        host, _, port = host_port.partition(":")
        self.upstream = (host, int(port or 80))
        self.fault_rate = fault_rate
        self.stall_seconds = stall_seconds
        self.kinds = kinds
        self.counts: Counter[str] = Counter()
        self.requests: list[tuple[str, str, str]] = []  # (method, path, what was done)
        self._random = random.Random(seed)
        self._deck: list[str] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._acceptor = threading.Thread(target=self._accept, name="fault-proxy", daemon=True)

    def start(self) -> FaultProxy:
        self._acceptor.start()
        return self

    def stop(self) -> None:
        """Stop listening and wait for every exchange in flight, so none outlives the test."""
        self._stopping.set()
        self._acceptor.join()
        self._listener.close()
        for thread in list(self._threads):
            thread.join(timeout=self.stall_seconds + 30)

    def faults(self) -> int:
        return sum(self.counts[kind] for kind in FAULTS)

    # --- choosing -------------------------------------------------------------------------

    def _choose(self) -> str:
        with self._lock:
            if self._random.random() >= self.fault_rate:
                return "forward"
            if not self._deck:
                self._deck = list(self.kinds)
                self._random.shuffle(self._deck)
            return self._deck.pop()

    # --- serving --------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(client,), daemon=True)
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
            thread.start()

    def _serve(self, client: socket.socket) -> None:
        with client:
            client.settimeout(30)
            try:
                request = _read_request(client)
            except (OSError, ValueError):
                return
            if request is None:
                return
            action = self._choose()
            first_line = request.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
            with self._lock:
                self.counts[action] += 1
                self.requests.append((first_line[0], first_line[1], action))
            # OSError: the client gave up first (after a stall): nothing to tell it.
            with contextlib.suppress(OSError):
                self._act(action, client, request)

    def _act(self, action: str, client: socket.socket, request: bytes) -> None:
        if action == "drop_before":
            _abort(client)
            return
        if action == "error_before":
            client.sendall(_ERROR)
            return
        if action == "stall":
            self._stopping.wait(self.stall_seconds)
        answer = self._forward(request)
        if action == "drop_after":
            _abort(client)
        elif action == "error_after":
            client.sendall(_ERROR)
        else:
            client.sendall(answer)

    def _forward(self, request: bytes) -> bytes:
        with socket.create_connection(self.upstream, timeout=60) as server:
            server.sendall(request)
            chunks = []
            while chunk := server.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)


def _abort(client: socket.socket) -> None:
    # A reset rather than a polite close: what a dropped mobile connection looks like.
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def _read_request(client: socket.socket) -> bytes | None:
    """One whole HTTP request, rewritten to close the connection after its answer."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = client.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    length = 0
    kept = [lines[0]]
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
        if name.strip().lower() in (b"connection", b"keep-alive", b"proxy-connection"):
            continue
        kept.append(line)
    kept.append(b"Connection: close")
    while len(body) < length:
        chunk = client.recv(65536)
        if not chunk:
            raise ValueError("the request ended early")
        body += chunk
    return b"\r\n".join(kept) + b"\r\n\r\n" + body


@contextmanager
def fault_proxy(upstream: str, **options: object) -> Iterator[FaultProxy]:
    proxy = FaultProxy(upstream, **options).start()  # type: ignore[arg-type]
    try:
        yield proxy
    finally:
        proxy.stop()
