"""directory_files: what the directory and commune pages download."""

from __future__ import annotations

import json

import pytest

from directory_support import SENTINEL, directory_model
from maillage.site.directory import commune_page, config_script, directory_files, directory_page, record_map

FILES = {"annuaire/index.json", "annuaire/communes.json", "annuaire/communes-voisines.json",
         "annuaire/communes-france.json", "commune/secteurs.json"}


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory):
    mp = pytest.MonkeyPatch()
    mp.setenv("MAILLAGE_TODAY", "2026-11-22")
    try:
        return directory_model(tmp_path_factory.mktemp("registre") / "registry")
    finally:
        mp.undo()


def test_files_and_index_shape(model) -> None:
    files = directory_files(model.view("public"))
    # The gap maps of /territoires/ travel with the directory's files.
    assert {f for f in files if f not in FILES} == {f for f in files if f.startswith("territoires/cartes/")}
    assert set(files) >= FILES
    index = json.loads(files["annuaire/index.json"])
    assert {r["i"] for r in index["r"]} >= {"lefevre-claire", "cmp-coutances"}
    claire = next(r for r in index["r"] if r["i"] == "lefevre-claire")
    assert claire == {
        "i": "lefevre-claire", "k": "p", "n": "Claire Lefèvre",
        "c": "orthophoniste", "s": ["langage-oral", "troubles-des-apprentissages"], "t": ["coutancais"],
        # The commune's name is "": communes.json gives it (the same for every record of Coutances).
        "l": [[49.0552, -1.44509, "50147", "", "02 61 91 12 34", "12 rue des Halles", "50200"]],
        "g": [2, 16], "np": "oui", "m": ["cabinet", "domicile"], "la": ["fr", "en"], "se": "secteur-1", "tp": 1,
        "w": 1,
    }
    # Labels once, in the vocabulary section.
    assert index["url"] == {"p": "professionnels/", "s": "structures/"}
    assert index["voc"]["p"]["orthophoniste"] == "Orthophoniste"
    assert index["voc"]["s"]["begaiement"] == "Bégaiement et troubles de la fluence"
    assert "Orthophoniste" not in json.dumps(index["r"], ensure_ascii=False)


def test_bytes_are_deterministic_and_compact(model) -> None:
    first = directory_files(model.view("public"))
    second = directory_files(model.view("public"))
    assert first == second
    for name, data in first.items():
        if not name.endswith(".json"):
            continue
        text = data.decode("utf-8")
        assert "\n" not in text and '": ' not in text
        assert json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True, separators=(",", ":")) == text


def test_no_internal_data_in_any_file(model) -> None:
    assert model.by_id()["lefevre-claire"].interne.notes == SENTINEL  # merged from the internal registry
    for audience_model in (model.view("public"), model):
        for name, data in directory_files(audience_model).items():
            text = data.decode("utf-8")
            assert SENTINEL not in text, name
            assert "02 61 91 99 99" not in text, name  # the internal phone line


def test_hidden_records_are_left_out(model) -> None:
    from dataclasses import replace

    people = tuple(replace(p, statut="cesse") if p.id == "martin-paul" else p for p in model.professionnels)
    index = json.loads(directory_files(replace(model, professionnels=people).view("public"))["annuaire/index.json"])
    assert "martin-paul" not in {r["i"] for r in index["r"]}


def test_communes_cover_the_departement(model) -> None:
    rows = json.loads(directory_files(model.view("public"))["annuaire/communes.json"])
    main = [r for r in rows if len(r) == 5]
    assert len(main) > 400 and all(r[0].startswith("50") for r in rows)
    coutances = next(r for r in main if r[0] == "50147")
    assert coutances[1:3] == ["Coutances", ["50200"]]
    assert rows[0][1] == "Cherbourg-en-Cotentin"  # most populated first


def test_sectors_per_commune(model) -> None:
    sectors = json.loads(directory_files(model.view("public"))["commune/secteurs.json"])
    names = {s["i"]: s for s in sectors["s"]}
    assert set(names) == {"cmp-coutances", "cmpp-saint-lo", "pmi-villedieu"}  # the MDA has no sector
    def index(x: int | list[int]) -> int:
        return x[0] if isinstance(x, list) else x

    covering = {insee: {sectors["s"][index(i)]["i"] for i in idx} for insee, idx in sectors["c"].items()}
    assert covering["50394"] == {"cmp-coutances"}
    assert covering["50502"] == {"cmpp-saint-lo"}  # through the territory
    assert covering["50639"] == {"pmi-villedieu"}
    cmpp = names["cmpp-saint-lo"]
    assert cmpp["o"] == "Orientation nécessaire par un médecin ou la PMI. Courrier du médecin traitant."
    assert cmpp["adm"] == "Appeler le secrétariat, puis premier entretien."
    assert cmpp["l"][0][2] == "02 61 91 21 00" and cmpp["u"] == "structures/cmpp-saint-lo/"


def test_each_commune_is_sent_to_its_nearest_site(sample_sites) -> None:
    """A service with several sites (a CMP and its antenna): the commune lookup shows, for each
    commune, the site a family there would go to, not always the first one."""
    sectors = json.loads((sample_sites["public"] / "commune" / "secteurs.json").read_text("utf-8"))
    position = {s["i"]: n for n, s in enumerate(sectors["s"])}
    cmp = position["cmp-avranches"]
    assert [site[0] for site in sectors["s"][cmp]["l"]] == ["", "Antenne de Villedieu-les-Poêles"]

    def site_for(insee: str) -> int:
        entry = next(x for x in sectors["c"][insee] if (x[0] if isinstance(x, list) else x) == cmp)
        return entry[1] if isinstance(entry, list) else 0

    assert site_for("50639") == 1  # Villedieu-les-Poêles-Rouffigny: its own antenna
    assert site_for("50025") == 0  # Avranches: the main site


def test_pages_have_no_inline_code(model) -> None:
    public = model.view("public")
    for page in (directory_page(public), commune_page(public)):
        assert " on" not in page.replace(" once", "")  # no inline event handlers (onclick=…)
        for chunk in page.split("<script")[1:]:
            assert chunk.startswith((' src="../assets/', ' type="application/json"')), chunk[:60]
        assert all(not line.startswith((" ", "\t")) for line in page.splitlines())  # Markdown-safe
    assert '<label for="ma-q">' in directory_page(public)
    assert 'aria-live="polite"' in directory_page(public)


def test_config_cannot_close_its_script(model) -> None:
    from dataclasses import replace

    hostile = replace(model, meta=replace(model.meta, tuiles_attribution="</script><script>alert(1)</script>"))
    block = config_script(hostile)
    assert block.count("</script>") == 1
    payload = block.split(">", 1)[1].rsplit("</script>", 1)[0]
    assert json.loads(payload)["attribution"] == "</script><script>alert(1)</script>"


def test_record_map_markup(model) -> None:
    claire = next(p for p in model.professionnels if p.id == "lefevre-claire")
    markup = record_map(claire)
    assert markup.startswith('<div class="maillage-carte" data-nom="Claire Lefèvre" data-points="')
    assert "&quot;Coutances" not in markup and "12 rue des Halles" in markup


def test_each_commune_lists_its_most_local_services_first(sample_sites) -> None:
    """Cherbourg: its CMP's sector before the services that cover the whole département."""
    sectors = json.loads((sample_sites["public"] / "commune" / "secteurs.json").read_text("utf-8"))
    size: dict[int, int] = {}
    for entries in sectors["c"].values():
        for x in entries:
            i = x[0] if isinstance(x, list) else x
            size[i] = size.get(i, 0) + 1
    for insee, entries in sectors["c"].items():
        sizes = [size[x[0] if isinstance(x, list) else x] for x in entries]
        assert sizes == sorted(sizes), insee
    first = sectors["s"][sectors["c"]["50129"][0] if not isinstance(sectors["c"]["50129"][0], list)
                         else sectors["c"]["50129"][0][0]]
    assert size[sectors["s"].index(first)] < max(size.values())  # not a département-wide service
