"""A real geocoder on loopback: answers GET /search with recorded GeoCodeJSON files, like the
Géoplateforme (BAN parameters). `lent` in the address makes it answer after 3 s, `panne` 500."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from app.text import fold

RECORDED = Path(__file__).parent / "geocodejson"


def recorded(address: str) -> dict[str, object]:
    path = RECORDED / f"{fold(address).replace(' ', '_')}.json"
    if path.is_file():
        answer: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
        return answer
    return {"type": "FeatureCollection", "version": "draft", "features": [], "query": address}


class GeocoderServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[dict[str, list[str]]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/search"

    def __enter__(self) -> "GeocoderServer":
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()


class Handler(BaseHTTPRequestHandler):
    server: GeocoderServer

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query)
        self.server.requests.append(params)
        address = params.get("q", [""])[0]
        if url.path != "/search" or not address:
            self.send_error(400)
            return
        if "panne" in address:
            self.send_error(500)
            return
        if "lent" in address:
            time.sleep(3)
        body = json.dumps(recorded(address)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass
