"""A local stand-in for the IGN Géoplateforme geocoding API, for tests and benchmarks.

Maillage's tests never use the network: this server (stdlib ``http.server`` in a
thread, on 127.0.0.1 and a random port) answers ``GET /search?q=…&limit=…`` like
``https://data.geopf.fr/geocodage/search`` — a GeoJSON FeatureCollection whose
features carry ``label``, ``score``, ``type``, ``housenumber``, ``street``,
``postcode``, ``citycode``, ``city``, ``context`` — and the real geopy client
talks to it. Each address can be given a script of replies (a result, a 429, a
500, a hang, garbage…); the server records every request, when it started and
how many were in flight.

It also writes small fixture registries (:func:`write_registry`).
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from maillage.core.gazetteer import Gazetteer

REPO = Path(__file__).resolve().parents[3]


@dataclass(frozen=True, slots=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0  # seconds to wait before answering (longer than the client timeout: a hang)


def collection(*features: Mapping[str, Any], query: str = "") -> Reply:
    payload = {"type": "FeatureCollection", "version": "draft", "features": list(features),
               "attribution": "BAN", "licence": "ETALAB-2.0", "query": query, "limit": 5}
    return Reply(200, json.dumps(payload).encode(), (("Content-Type", "application/json"),))


def feature(latitude: float, longitude: float, *, label: str, score: float = 0.95,
            type: str = "housenumber", citycode: str = "50147", city: str = "Coutances",
            postcode: str = "50200", housenumber: str | None = "12", street: str | None = None,
            context: str = "50, Manche, Normandie") -> dict[str, Any]:
    props: dict[str, Any] = {
        "label": label, "score": score, "type": type, "postcode": postcode, "citycode": citycode,
        "city": city, "context": context, "id": f"{citycode}_fake", "name": label.split(" ", 1)[0],
        "x": 0.0, "y": 0.0, "importance": 0.5,
    }
    if housenumber is not None and type == "housenumber":
        props["housenumber"] = housenumber
    if street is not None:
        props["street"] = street
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
            "properties": props}


def status(code: int, retry_after: int | None = None, body: bytes = b"") -> Reply:
    headers = (("Retry-After", str(retry_after)),) if retry_after is not None else ()
    return Reply(code, body or f'{{"code": {code}, "message": "erreur simulée"}}'.encode(), headers)


def json_reply(payload: Any, code: int = 200) -> Reply:
    return Reply(code, json.dumps(payload).encode(), (("Content-Type", "application/json"),))


def garbage(body: bytes = b"{ceci n'est pas du JSON") -> Reply:
    return Reply(200, body, (("Content-Type", "application/json"),))


def hang(seconds: float, then: Reply | None = None) -> Reply:
    base = then or collection()
    return Reply(base.status, base.body, base.headers, delay=seconds)


def auto_answer(gazetteer: Gazetteer) -> Callable[[str], Reply]:
    """A default reply for any "adresse, CP commune" query: a house number near the centroid."""

    def answer(q: str) -> Reply:
        address, _, place = q.rpartition(",")
        postcode, _, city = place.strip().partition(" ")
        matches = gazetteer.match(city, postcode)
        if not matches:
            return collection(query=q)
        commune = matches[0]
        offset = (sum(map(ord, address)) % 100) / 10000
        return collection(feature(commune.latitude + offset, commune.longitude - offset,
                                  label=f"{address.strip()} {postcode} {commune.nom_article}",
                                  score=0.93, citycode=commune.code_insee, city=commune.nom_article,
                                  postcode=postcode), query=q)

    return answer


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    started: float  # time.monotonic()
    path: str
    params: dict[str, str]
    user_agent: str


@dataclass
class FakeGeoplateforme:
    """The server. Use as a context manager; ``url`` is the base to give to ``--endpoint``."""

    latency: float = 0.0  # added to every reply (a realistic round trip)
    default: Callable[[str], Reply] | None = None  # reply for queries without a script
    base_path: str = ""  # e.g. "/geocodage" to mimic the real layout
    requests: list[LoggedRequest] = field(default_factory=list)
    max_in_flight: int = 0
    _scripts: dict[str, list[Reply]] = field(default_factory=dict)
    _in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    def script(self, address: str, *replies: Reply) -> None:
        """Replies, in order, to queries starting with ``address``; the last one repeats."""
        self._scripts[address] = list(replies)

    @property
    def url(self) -> str:
        assert self._server is not None, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{self.base_path}"

    def queries(self) -> list[str]:
        return [r.params.get("q") or r.params.get("street", "") for r in self.requests]

    def __enter__(self) -> FakeGeoplateforme:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # http.server's naming
                fake._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that gave up (timeout) leaves a broken pipe: expected here

        self._server = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _reply_for(self, q: str) -> Reply:
        with self._lock:
            for address, replies in self._scripts.items():
                if q.startswith(address):
                    return replies.pop(0) if len(replies) > 1 else replies[0]
        if self.default is not None:
            return self.default(q)
        return collection(query=q)

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        with self._lock:
            self.requests.append(LoggedRequest(time.monotonic(), parts.path, params,
                                               handler.headers.get("User-Agent", "")))
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            found = parts.path == f"{self.base_path}/search"
            # Géoplateforme: free text in q; Nominatim (structured query): street=…
            text = params.get("q") or params.get("street", "")
            reply = self._reply_for(text) if found else status(404)
            if self.latency or reply.delay:
                time.sleep(self.latency + reply.delay)
            handler.send_response(reply.status)
            for name, value in reply.headers:
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(reply.body)))
            handler.end_headers()
            handler.wfile.write(reply.body)
        finally:
            with self._lock:
                self._in_flight -= 1


def closed_port_url() -> str:
    """A base URL on which nothing listens: connection refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# --- fixture registries --------------------------------------------------------------

PROFESSIONNEL = """\
nom: {nom}
prenom: {prenom}
profession: orthophoniste
lieux:
{lieux}
statut: actif
verifie_le: 2026-01-15
source: Registre de test (fictif)
"""


def lieu_yaml(adresse: str, code_postal: str, commune: str, code_insee: str,
              coordonnees: tuple[float, float] | None = None) -> str:
    text = (f"  - adresse: {json.dumps(adresse, ensure_ascii=False)}\n"
            f"    code_postal: \"{code_postal}\"\n"
            f"    commune: {json.dumps(commune, ensure_ascii=False)}\n"
            f"    code_insee: \"{code_insee}\"\n")
    if coordonnees is not None:
        text += f"    coordonnees: {{latitude: {coordonnees[0]}, longitude: {coordonnees[1]}}}\n"
    return text


def write_registry(root: Path, records: Mapping[str, Iterable[str]]) -> Path:
    """A registry with the repository's metadata and vocabularies, and one professional per entry.

    ``records`` maps a record id to its locations, each written with :func:`lieu_yaml`.
    """
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "registry" / "registre.yaml", root / "registre.yaml")
    shutil.copytree(REPO / "registry" / "vocabulaires", root / "vocabulaires", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.py", "*.md"))
    folder = root / "professionnels"
    folder.mkdir(exist_ok=True)
    for number, (rid, lieux) in enumerate(records.items()):
        text = PROFESSIONNEL.format(nom=f"Exemple{_letters(number)}", prenom="Camille",
                                    lieux="".join(lieux).rstrip("\n"))
        (folder / f"{rid}.yaml").write_text(text, encoding="utf-8")
    return root


def _letters(number: int) -> str:
    out = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("a") + rest) + out
    return out
