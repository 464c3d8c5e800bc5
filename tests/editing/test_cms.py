"""The web editor's configuration (/admin/config.yml) against the schemas, and /admin/ in the site."""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO, make_registry
from maillage.cli.main import main
from maillage.core.kinds import KINDS
from maillage.core.schemas import load_schemas
from maillage.editing import cms

REGISTRY = REPO / "registry"


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    return cms.build_config(REGISTRY, REPO)


def _collection(config: dict[str, Any], folder: str) -> dict[str, Any]:
    return next(c for c in config["collections"] if c["name"] == folder)


def _editor_paths(fields: list[dict[str, Any]], prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], dict[str, Any]]:
    out: dict[tuple[str, ...], dict[str, Any]] = {}
    for field in fields:
        path = (*prefix, field["name"])
        out[path] = field
        if field["widget"] == "object":
            out.update(_editor_paths(field["fields"], path))
        elif field["widget"] == "list" and "fields" in field:
            out.update(_editor_paths(field["fields"], (*path, "*")))
    return out


def _field(config: dict[str, Any], folder: str, dotted: str) -> dict[str, Any]:
    paths = _editor_paths(_collection(config, folder)["fields"])
    return paths[tuple(dotted.split("."))]


def test_one_collection_per_kind_on_its_folder(config: dict[str, Any]) -> None:
    assert [c["name"] for c in config["collections"]] == [k.folder for k in KINDS]
    for kind in KINDS:
        collection = _collection(config, kind.folder)
        assert collection["folder"] == f"registry/{kind.folder}"
        assert collection["label"] == kind.title and collection["format"] == "yaml"
        assert collection["extension"] == "yaml" and collection["delete"] is False


def test_every_public_field_and_no_internal_one(config: dict[str, Any]) -> None:
    schemas = load_schemas()
    for kind in KINDS:
        expected = {path for path, _node, _base in schemas.walk(kind.schema) if path[0] != "interne"}
        internal = {path for path, _node, _base in schemas.walk(kind.schema) if path[0] == "interne"}
        assert internal, kind.name  # the schema has an internal section: it must be left out
        editor = _editor_paths(_collection(config, kind.folder)["fields"])
        assert set(editor) == expected, kind.name
        for path, field in editor.items():
            node = schemas.subschema(kind.schema, tuple(p if p != "*" else 0 for p in path))
            assert node is not None
            assert field["label"] == node.get("title", path[-1]), path
    assert "interne" not in yaml.safe_dump(config["collections"])


def test_required_flags_follow_the_schema(config: dict[str, Any]) -> None:
    assert _field(config, "professionnels", "nom")["required"] is True
    assert _field(config, "professionnels", "rpps")["required"] is False
    assert _field(config, "professionnels", "lieux")["required"] is True
    assert _field(config, "professionnels", "lieux.*.adresse")["required"] is True  # inside a list item
    assert _field(config, "professionnels", "lieux.*.telephone")["required"] is False
    # inside an optional object: left to the verification, so a record without it still saves
    assert _field(config, "professionnels", "conventionnement.secteur")["required"] is False
    assert _field(config, "conventions", "statut")["required"] is True


def test_widgets_patterns_and_bounds(config: dict[str, Any]) -> None:
    telephone = _field(config, "professionnels", "lieux.*.telephone")
    assert telephone["widget"] == "string"
    assert telephone["pattern"][0] == load_schemas().raw["definitions"]["$defs"]["telephone"]["pattern"]
    assert telephone["pattern"][1].startswith("Format attendu.")
    assert _field(config, "professionnels", "description")["widget"] == "text"
    assert _field(config, "professionnels", "lieux.*.accessible_pmr")["widget"] == "boolean"
    delay = _field(config, "professionnels", "nouveaux_patients.delai_semaines")
    assert (delay["widget"], delay["value_type"], delay["min"], delay["max"]) == ("number", "int", 0, 104)
    assert _field(config, "conventions", "financements.*.montant")["value_type"] == "float"
    date = _field(config, "professionnels", "verifie_le")
    assert (date["widget"], date["format"], date["time_format"]) == ("datetime", "YYYY-MM-DD", False)
    lieux = _field(config, "professionnels", "lieux")
    assert (lieux["widget"], lieux["min"], lieux["max"]) == ("list", 1, 20)
    documents = _field(config, "structures", "admission.documents")
    assert documents["widget"] == "list" and documents["field"]["widget"] == "string"
    assert _field(config, "professionnels", "ages")["widget"] == "object"


def test_help_is_the_schema_description_without_yaml_advice(config: dict[str, Any]) -> None:
    rpps = _field(config, "professionnels", "rpps")
    assert rpps["hint"] == "Identifiant national du professionnel (11 chiffres). Il figure dans l'Annuaire santé."
    assert _field(config, "professionnels", "lieux.*.accessible_pmr")["hint"].startswith("Activé si")
    text = yaml.safe_dump(config)
    assert "guillemets" not in text and "AAAA-MM-JJ" not in text


def test_enum_selects_use_the_french_labels(config: dict[str, Any]) -> None:
    modalites = _field(config, "professionnels", "modalites")
    assert modalites["widget"] == "select" and modalites["multiple"] is True
    assert {"label": "Au cabinet", "value": "cabinet"} in modalites["options"]
    secteur = _field(config, "professionnels", "conventionnement.secteur")
    assert secteur["options"][0] == {"label": "Conventionné secteur 1 (tarifs de la Sécurité sociale)",
                                     "value": "secteur-1"}


def test_no_hidden_status_in_the_public_editor(config: dict[str, Any]) -> None:
    for folder in ("professionnels", "structures"):
        statut = _field(config, folder, "statut")
        assert [o["value"] for o in statut["options"]] == ["actif", "inactif", "cesse", "retire"]
        assert "candidat" not in statut["hint"]
    statut = _field(config, "conventions", "statut")
    values = [o["value"] for o in statut["options"]]
    assert values == ["signee", "active", "suspendue", "expiree", "resiliee"]
    assert "projet" not in statut["hint"] and "negociation" not in statut["hint"]
    text = yaml.safe_dump(config)
    for hidden in ("candidat", "en-negociation", "value: projet"):
        assert hidden not in text


def _refs(node: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], str]:
    """Raw schema: every property (by dotted path) that refers to « terme » or « identifiant »."""
    out: dict[tuple[str, ...], str] = {}
    for name, prop in (node.get("properties") or {}).items():
        target = prop.get("items", prop) if prop.get("type") == "array" else prop
        ref = str(target.get("$ref", ""))
        for kind in ("terme", "identifiant"):
            if ref.endswith(f"/$defs/{kind}"):
                out[(*path, name)] = kind
        if prop.get("type") == "object":
            out.update(_refs(prop, (*path, name)))
        elif prop.get("type") == "array" and isinstance(prop.get("items"), dict):
            out.update(_refs(prop["items"], (*path, name)))
    return out


def test_every_vocabulary_term_and_reference_has_its_widget(config: dict[str, Any]) -> None:
    schemas = load_schemas()
    for kind in KINDS:
        for path, target in _refs(schemas.raw[kind.schema]).items():
            key = (kind.name, ".".join(path))
            if target == "terme":
                assert key in cms.VOCABULARY_FIELDS, key
            else:
                assert key in cms.RELATION_FIELDS, key
    parent = _field(config, "structures", "structure_parente")
    assert parent["widget"] == "relation" and parent["collection"] == "structures"
    assert parent["value_field"] == "{{slug}}" and parent["required"] is False
    partie = _field(config, "conventions", "parties.*.professionnel")
    assert partie["widget"] == "relation" and partie["collection"] == "professionnels"


def test_vocabulary_selects_list_every_term(config: dict[str, Any]) -> None:
    professions = yaml.safe_load((REGISTRY / "vocabulaires" / "professions.yaml").read_text(encoding="utf-8"))
    field = _field(config, "professionnels", "profession")
    assert [o["value"] for o in field["options"]] == [t["id"] for t in professions["termes"]]
    assert field["options"][0]["label"].startswith(professions["termes"][0]["libelle"])
    assert _field(config, "professionnels", "specialites")["multiple"] is True
    communes = _field(config, "structures", "secteur.communes")
    assert communes["multiple"] is True and {"label": "Coutances (50147)", "value": "50147"} in communes["options"]
    assert all(o["value"].startswith("50") for o in communes["options"])


def test_synonyms_are_searchable(tmp_path: Path) -> None:
    registry = make_registry(tmp_path / "registry")
    path = registry / "vocabulaires" / "professions.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: orthophoniste\n")
    end = text.index("  - id:", start + 1)
    block = "\n".join(line for line in text[start:end].splitlines() if "synonymes" not in line) + "\n"
    block = block.replace("  - id: orthophoniste\n",
                          "  - id: orthophoniste\n    synonymes: [logopède, logopédiste]\n", 1)
    text = text[:start] + block + text[end:]
    path.write_text(text, encoding="utf-8")
    config = cms.build_config(registry, tmp_path)
    field = _field(config, "professionnels", "profession")
    option = next(o for o in field["options"] if o["value"] == "orthophoniste")
    assert option["label"] == "Orthophoniste (aussi : logopède, logopédiste)"


def test_editorial_workflow_open_authoring_and_least_scope(config: dict[str, Any]) -> None:
    assert config["publish_mode"] == "editorial_workflow"
    backend = config["backend"]
    assert backend["name"] == "github" and backend["repo"] == "example/maillage" and backend["branch"] == "main"
    assert backend["open_authoring"] is True and backend["auth_scope"] == "public_repo"
    assert "base_url" not in backend  # no sign-in relay declared in the sample registry
    assert config["locale"] == "fr"


def test_the_sign_in_relay_comes_from_the_registry(tmp_path: Path) -> None:
    registry = make_registry(tmp_path / "registry")
    meta = registry / "registre.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(
        "  branche: main\n", "  branche: main\n  relais_connexion: https://connexion.example.org/\n"), encoding="utf-8")
    backend = cms.build_config(registry, tmp_path)["backend"]
    assert backend["base_url"] == "https://connexion.example.org" and backend["auth_endpoint"] == "auth"
    assert main(["validate", "--registry", str(registry)]) == 0  # the schema knows the field


def test_cms_config_command(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    assert main(["cms-config"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Configuration de l'éditeur en ligne")
    assert yaml.safe_load(out) == cms.build_config(REGISTRY, REPO)


def test_cms_config_without_a_github_repository(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    registry = make_registry(tmp_path / "registry")
    meta = registry / "registre.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("https://github.com/example/maillage",
                                                              "https://gitlab.example.org/x/y"), encoding="utf-8")
    assert main(["cms-config", "--registry", str(registry)]) == 2
    assert "dépôt GitHub" in capsys.readouterr().err
    assert main(["cms-config", "--registry", str(tmp_path / "absent")]) == 2
    assert cms.site_files(registry, tmp_path) == {}


EDITOR_CSP = ("default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data: blob: https://avatars.githubusercontent.com; "
              "connect-src 'self' https://api.github.com; font-src 'self' data:; base-uri 'none'; "
              "form-action 'none'; object-src 'none'")


def test_admin_page_is_standalone_with_its_own_policy(tmp_path: Path) -> None:
    page = (REPO / "docs" / "admin" / "index.html").read_text(encoding="utf-8")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None and csp.group(1) == EDITOR_CSP
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert re.findall(r"<script\b[^>]*>", page) == ['<script src="../assets/vendor/decap-cms/decap-cms.js">']
    vendor = REPO / "docs" / "assets" / "vendor" / "decap-cms"
    assert (vendor / "LICENSE").read_text(encoding="utf-8").startswith("Copyright (c) 2016 Netlify")
    assert "decap-cms 3.16.3" in (vendor / "decap-cms.js").read_text(encoding="utf-8")[-400:]
    script = (REPO / "scripts" / "maillage" / "dev" / "vendor_frontend.sh").read_text(encoding="utf-8")
    readme = (REPO / "docs" / "assets" / "vendor" / "README.md").read_text(encoding="utf-8")
    assert "DECAP_CMS=3.16.3" in script and "npm `decap-cms@3.16.3`" in readme


def test_built_site_has_the_editor_out_of_the_sitemap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILLAGE_TODAY", "2026-11-22")
    site = tmp_path / "site"
    registry = tmp_path / "registry"
    shutil.copytree(REGISTRY, registry)
    assert main(["build", "--registry", str(registry), "--site-dir", str(site),
                 "--config", str(REPO / "mkdocs.yml")]) == 0
    assert (site / "admin" / "index.html").read_bytes() == (REPO / "docs" / "admin" / "index.html").read_bytes()
    written = yaml.safe_load((site / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert [c["name"] for c in written["collections"]] == ["professionnels", "structures", "conventions"]
    sitemap = gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8")
    assert "/annuaire/" in sitemap and "admin" not in sitemap
    assert "admin" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    record = (site / "professionnels" / "anquetil-alice" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../admin/#/collections/professionnels/entries/anquetil-alice"' in record


def test_the_editor_says_which_of_status_and_temporary_information_to_use(config: dict[str, Any]) -> None:
    """A dated closure goes in « Informations temporaires »; « Temporairement indisponible » is open-ended."""
    for folder in ("professionnels", "structures"):
        statut = _field(config, folder, "statut")
        assert "sans date de reprise" in statut["hint"] and "information temporaire" in statut["hint"]
        temporaire = _field(config, folder, "temporaire")
        assert "fermeture datée" in temporaire["hint"] and "inactif" in temporaire["hint"]
