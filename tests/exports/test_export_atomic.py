"""Exports are deterministic and replace the previous export atomically."""

from __future__ import annotations

from pathlib import Path

import pytest

import maillage.exports as exports_module
from export_support import full_model, make_registry
from maillage.core.model import Model
from maillage.exports import ExportError, export_all, write_atomically


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Model:
    return full_model(make_registry(tmp_path_factory.mktemp("registre") / "registry"))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("audience", ["public", "interne"])
def test_two_exports_of_the_same_registry_are_byte_identical(tmp_path: Path, audience: str) -> None:
    """Two independent builds (registry loaded twice) give the same bytes."""
    first = full_model(make_registry(tmp_path / "a"))
    second = full_model(make_registry(tmp_path / "b"))
    export_all(first.view(audience), tmp_path / "out1")
    export_all(second.view(audience), tmp_path / "out2")
    one, two = snapshot(tmp_path / "out1"), snapshot(tmp_path / "out2")
    assert one.keys() == two.keys()
    for name in one:
        assert one[name] == two[name], name


def test_export_returns_the_written_paths(model: Model, tmp_path: Path) -> None:
    written = export_all(model.view("public"), tmp_path / "donnees")
    assert sorted(p.relative_to(tmp_path / "donnees").as_posix() for p in written) == \
        sorted(snapshot(tmp_path / "donnees"))


def test_a_second_export_replaces_the_first_entirely(model: Model, tmp_path: Path) -> None:
    out = tmp_path / "donnees"
    export_all(model.view("public"), out)
    (out / "ancien-fichier.csv").write_text("x")
    export_all(model.view("public"), out)
    assert not (out / "ancien-fichier.csv").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["donnees"]  # no temporary folder left behind


def test_failure_mid_write_leaves_previous_export_intact(model: Model, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "donnees"
    export_all(model.view("public"), out)
    before = snapshot(out)
    calls = {"n": 0}
    real_write = exports_module._write_file

    def failing_write(path: Path, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == 5:
            path.write_bytes(data[: len(data) // 2])  # a half-written file, then the disk gives up
            raise OSError(28, "No space left on device")
        real_write(path, data)

    monkeypatch.setattr(exports_module, "_write_file", failing_write)
    with pytest.raises(OSError):
        export_all(model.view("interne"), out)
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["donnees"]


def test_failure_during_swap_restores_previous_export(model: Model, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "donnees"
    export_all(model.view("public"), out)
    before = snapshot(out)
    real_replace = exports_module.os.replace
    calls = {"n": 0}

    def failing_replace(src: Path, dst: Path) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # old export moved away, new one about to be moved in
            raise OSError("rename failed")
        real_replace(src, dst)

    monkeypatch.setattr(exports_module, "_exchange", lambda first, second: False)  # the two-rename fallback
    monkeypatch.setattr(exports_module.os, "replace", failing_replace)
    with pytest.raises(OSError):
        export_all(model.view("interne"), out)
    monkeypatch.undo()
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["donnees"]


def test_refuses_to_replace_a_folder_that_is_not_an_export(tmp_path: Path) -> None:
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "rapport.odt").write_text("important")
    with pytest.raises(ExportError):
        write_atomically(precious, {"a.csv": b"x"})
    assert (precious / "rapport.odt").read_text() == "important"


def test_writes_into_a_missing_or_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "vide").mkdir()
    write_atomically(tmp_path / "vide", {"datapackage.json": b"{}", "sous/b.csv": b"b"})
    write_atomically(tmp_path / "nouveau" / "donnees", {"datapackage.json": b"{}"})
    assert (tmp_path / "vide" / "sous" / "b.csv").read_bytes() == b"b"
    assert (tmp_path / "nouveau" / "donnees" / "datapackage.json").is_file()


def test_exports_are_written_one_at_a_time_with_the_same_bytes(model: Model, tmp_path: Path) -> None:
    """``export_all`` renders lazily (a format at a time) what ``render_all`` holds at once: same files."""
    from maillage.exports import iter_files, render_all

    view = model.view("interne")
    export_all(view, tmp_path / "donnees")
    assert snapshot(tmp_path / "donnees") == render_all(view)
    names = [name for name, _data in iter_files(view)]
    assert len(names) == len(set(names)) == len(render_all(view))


@pytest.mark.parametrize("audience", ["public", "interne"])
def test_streamed_json_is_byte_identical_to_json_dumps(model: Model, audience: str) -> None:
    """The JSON exports are written record by record: exactly the bytes of ``json.dumps`` of the whole."""
    import json

    from maillage.exports import data_inclusion, geojson, json_export

    def whole(value: object) -> bytes:
        return (json.dumps(value, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    view = model.view(audience)
    assert json_export.render(view)["registre.json"] == whole(json_export.document(view))
    assert geojson.render(view)["registre.geojson"] == whole(geojson.collection(view))
    records = (*view.structures, *view.professionnels)
    files = data_inclusion.render(view)
    assert files["data-inclusion/structures.json"] == whole([data_inclusion.structure(view, r) for r in records])
    assert files["data-inclusion/services.json"] == \
        whole([data_inclusion.service(view, r, p) for r in records for p in r.lieux])
    # edge cases of the streaming writer: empty and nested generators, escaped line breaks
    odd = {"a": iter([]), "b": iter([{"x": "ligne\nsuivante\u2028", "y": [1, {}]}, [], "é"]), "c": {}}
    assert json_export.dumps(odd) == whole({"a": [], "b": [{"x": "ligne\nsuivante\u2028", "y": [1, {}]}, [], "é"],
                                            "c": {}})
    assert json_export.dumps(iter([])) == b"[]\n"
