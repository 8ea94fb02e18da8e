"""A local HTTP server on 127.0.0.1, in a thread, that behaves like a gazette site and its faults.

Used by tests/test_fetch.py and tests/test_flows.py.  Routes are set per test:
``server.route(path, body, content_type=…, mode=…)``.  Modes:

* ``ok``         serves the body, honouring ``Range: bytes=N-`` with 206 and Content-Range;
* ``truncate``   announces the full Content-Length, sends half the body and closes the connection;
* ``truncate_once`` truncates the first request without a Range header, then behaves like ``ok``;
* ``ignore_range`` always answers 200 with the whole body, whatever Range says;
* ``status:NNN`` answers with that HTTP status and the body;
* ``drip:S``     sends the body one byte every S seconds (a server too slow for any per-read timeout);
* ``redirect``   answers 302 with the body (decoded) as the Location, e.g. ``file:///etc/passwd``.

``server.requests`` logs (path, Range header) for every request.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes
    content_type: str
    mode: str = "ok"
    hits: int = 0


class GazetteSite:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, str | None]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep pytest output clean
                pass

            def do_GET(self):
                site._serve(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, body: bytes, content_type: str = "application/pdf", mode: str = "ok") -> str:
        self.routes[path] = Route(body, content_type, mode)
        return self.url(path)

    def start(self) -> "GazetteSite":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?", 1)[0]
        range_header = handler.headers.get("Range")
        self.requests.append((path, range_header))
        route = self.routes.get(path)
        if route is None:
            return self._send(handler, 404, b"<html><body>404 Not Found</body></html>", "text/html")
        route.hits += 1
        body = route.body
        if route.mode.startswith("status:"):
            return self._send(handler, int(route.mode.split(":")[1]), body, route.content_type)
        if route.mode == "redirect":
            handler.send_response(302)
            handler.send_header("Location", body.decode())
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        if route.mode.startswith("drip:"):
            return self._drip(handler, body, route.content_type, float(route.mode.split(":")[1]))
        truncate = route.mode == "truncate" or (route.mode == "truncate_once" and route.hits == 1 and not range_header)
        if range_header and route.mode not in ("ignore_range", "truncate"):
            start = int(range_header.removeprefix("bytes=").rstrip("-"))
            if start >= len(body):
                handler.send_response(416)
                handler.send_header("Content-Range", f"bytes */{len(body)}")
                handler.send_header("Content-Length", "0")
                handler.end_headers()
                return
            handler.send_response(206)
            handler.send_header("Content-Type", route.content_type)
            handler.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            handler.send_header("Content-Length", str(len(body) - start))
            handler.end_headers()
            handler.wfile.write(body[start:])
            return
        handler.send_response(200)
        handler.send_header("Content-Type", route.content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("Accept-Ranges", "bytes")
        handler.end_headers()
        if truncate:
            handler.wfile.write(body[: len(body) // 2])
            handler.wfile.flush()
            handler.close_connection = True
            handler.connection.shutdown(2)  # drop the connection mid-body, as a flaky server does
            return
        handler.wfile.write(body)

    @staticmethod
    def _drip(handler, body: bytes, content_type: str, every: float) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            for index in range(len(body)):
                handler.wfile.write(body[index:index + 1])
                handler.wfile.flush()
                time.sleep(every)
        except OSError:  # the client gave up
            handler.close_connection = True

    @staticmethod
    def _send(handler, code: int, body: bytes, content_type: str) -> None:
        handler.send_response(code)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


def make_pdf(lines: list[str], pages: int = 3) -> bytes:
    """A small real PDF (reportlab, uncompressed so it is a few tens of KB) with ``lines`` on each page."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
    for page in range(pages):
        for row, line in enumerate(lines):
            pdf.drawString(72, 800 - 14 * row, f"{line} p{page + 1}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
