"""``make serve``: serve a built site on 127.0.0.1, in French.

Python's ``http.server`` answers a missing page with an English error page and fails with
a traceback when the port is taken. This server answers with the site's own ``404.html``
(French, with the site's navigation) and explains how to choose another port.

    python -m maillage.dev.serve --directory site --port 8000
"""

from __future__ import annotations

import argparse
import errno
import functools
import sys
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FALLBACK_404 = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Page introuvable</title></head>
<body><h1>Page introuvable</h1><p>Cette adresse ne correspond à aucune page du site.
<a href="/">Revenir à l'accueil</a>.</p></body></html>
""".encode()


class FrenchHandler(SimpleHTTPRequestHandler):
    """Static files; a missing page gets the site's French 404 page."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != HTTPStatus.NOT_FOUND:
            super().send_error(code, message, explain)
            return
        page = Path(self.directory) / "404.html"
        body = page.read_bytes() if page.is_file() else FALLBACK_404
        self.send_response(HTTPStatus.NOT_FOUND, "Page introuvable")
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        sys.stderr.write(f"{self.address_string()} — {format % args}\n")


def serve(directory: Path, port: int, host: str = "127.0.0.1") -> int:
    if not (directory / "index.html").is_file():
        print(f"Aucun site construit dans « {directory} » : lancez d'abord « make site ».", file=sys.stderr)
        return 2
    handler = functools.partial(FrenchHandler, directory=str(directory))
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"Le port {port} est déjà utilisé (un autre « make serve » tourne peut-être). "
                  f"Choisissez-en un autre : make serve PORT={port + 1}", file=sys.stderr)
        else:
            print(f"Impossible d'ouvrir le port {port} : {exc.strerror or exc}.", file=sys.stderr)
        return 2
    print(f"Site : http://{host}:{server.server_port}/  (Ctrl-C pour arrêter)", flush=True)
    with server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("\nServeur arrêté.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sert le site construit sur 127.0.0.1.")
    parser.add_argument("--directory", type=Path, default=Path("site"))
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    return serve(args.directory, args.port)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
