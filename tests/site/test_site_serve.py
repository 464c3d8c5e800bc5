"""``mkdocs serve`` from the repository root: the site is served and reloads when a record changes."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(url: str, text: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        try:
            last = _get(url)
            if text in last:
                return last
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{text!r} not served at {url} within {seconds} s")


@pytest.mark.slow
def test_serve_reloads_when_a_record_changes(tmp_path: Path) -> None:
    project = tmp_path / "projet"
    shutil.copytree(REPO / "docs", project / "docs")
    shutil.copytree(REPO / "registry", project / "registry")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    (project / "scripts" / "maillage" / "site").mkdir(parents=True)
    shutil.copytree(REPO / "scripts" / "maillage" / "site" / "overrides",
                    project / "scripts" / "maillage" / "site" / "overrides")
    port = _free_port()
    env = {**os.environ, "MAILLAGE_TODAY": "2026-11-22"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    log = ""
    try:
        url = f"http://127.0.0.1:{port}/professionnels/lefevre-claire/"
        _wait_for(url, "Claire Lefèvre", 120)
        time.sleep(1)  # let the file watcher settle before the edit
        record = project / "registry" / "professionnels" / "lefevre-claire.yaml"
        record.write_text(record.read_text(encoding="utf-8").replace("nom: Lefèvre", "nom: Lefèvre-Durand"),
                          encoding="utf-8")
        page = _wait_for(url, "Claire Lefèvre-Durand", 120)
        assert "Proposer une correction" in page
    except AssertionError:
        server.terminate()
        log = server.communicate(timeout=20)[1].decode("utf-8", "replace")[-3000:]
        raise AssertionError(f"mkdocs serve:\n{log}") from None
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
