"""``make serve``'s server: French 404 page, a clear message when the port is taken."""

from __future__ import annotations

import functools
import socket
import threading
import urllib.error
import urllib.request
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from maillage.dev.serve import FrenchHandler, serve


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text("<p>Accueil</p>", encoding="utf-8")
    (tmp_path / "404.html").write_text("<h1>Page introuvable</h1>", encoding="utf-8")
    return tmp_path


def test_missing_page_gets_the_site_french_404(site: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(FrenchHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        with urllib.request.urlopen(f"{base}/") as ok:
            assert b"Accueil" in ok.read()
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{base}/annuaire/inexistant/")
        assert missing.value.code == 404
        assert "Page introuvable" in missing.value.read().decode("utf-8")
    finally:
        server.shutdown()
        server.server_close()


def test_port_taken_says_how_to_choose_another(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert serve(site, port) == 2
    err = capsys.readouterr().err
    assert f"Le port {port} est déjà utilisé" in err
    assert f"make serve PORT={port + 1}" in err


def test_no_site_built_yet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert serve(tmp_path, 0) == 2
    assert "make site" in capsys.readouterr().err
