"""``maillage import`` and ``maillage candidates`` on fixture files in the national layouts (fictional rows)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from import_support import (
    FINESS_V1,
    FINESS_V2,
    FIXTURES,
    RPPS_ACTIVITY,
    RPPS_ACTIVITY_V2,
    RPPS_SAVOIR_FAIRE,
    RPPS_ZIP,
    empty_registry,
    import_finess,
    import_rpps,
    run,
    tree,
)
from maillage.core.schemas import load_schemas
from maillage.load.safe_yaml import load_file


def data(path: Path) -> dict:
    return load_file(path, str(path), load_schemas().text_keys).data


def ids(folder: Path) -> set[str]:
    return {p.stem for p in folder.glob("*.yaml")} if folder.is_dir() else set()


@pytest.fixture
def regs(tmp_path: Path) -> tuple[Path, Path]:
    return empty_registry(tmp_path)


# --- FINESS ----------------------------------------------------------------------------------


def test_first_finess_import_writes_candidates_of_the_departement_only(regs, capsys) -> None:
    registry, internal = regs
    assert import_finess(registry, internal) == 0
    report = capsys.readouterr().out
    found = ids(internal / "structures")
    # Manche establishments of mapped categories; Caen (14), Ajaccio (2A), Saint-Denis (974) and
    # the EHPAD (category absent from the vocabulary) are left out.
    assert found == {"cmp-ij-periers", "cmpp-coutances", "camsp-saint-lo", "sessad-avranches", "ch-granville",
                     "cmp-cherbourg", "cmpp-st-hilaire", "pmi-valognes"}
    assert "catégorie absente du vocabulaire : 1" in report
    assert "hors du département : 3" in report
    assert not (registry / "structures").exists()  # nothing published before a person checks it
    schemas = load_schemas()
    for path in (internal / "structures").glob("*.yaml"):
        record = data(path)
        assert record["statut"] == "candidat"
        assert schemas.is_valid("structure", record), path.name
        assert record["source"].startswith("Répertoire FINESS, extraction du 20 novembre 2026")


def test_latin1_file_addresses_cedex_and_bp_are_normalised(regs) -> None:
    registry, internal = regs
    import_finess(registry, internal)
    periers = data(internal / "structures" / "cmp-ij-periers.yaml")
    assert periers["nom"] == "Centre Médico-Psychologique Infanto-Juvénile de Périers"
    assert periers["finess"] == "509900015" and periers["siret"] == "99000101800011"
    assert periers["lieux"] == [{"adresse": "12 rue des Écoles", "code_postal": "50190", "commune": "Périers",
                                 "code_insee": "50394", "telephone": "02 61 91 00 01"}]
    coutances = data(internal / "structures" / "cmpp-coutances.yaml")["lieux"][0]
    # the Cedex postal code and the BP stay out of the fields the geocoding query is built from
    assert (coutances["adresse"], coutances["code_postal"], coutances["commune"]) == (
        "3 avenue de Verdun", "50200", "Coutances")
    assert coutances["complement_adresse"] == "BP 45, 50207 COUTANCES CEDEX"


def test_snapshot_keeps_finess_coordinates_in_wgs84(regs) -> None:
    registry, internal = regs
    import_finess(registry, internal)
    rows = (internal / "imports" / "finess.csv").read_text(encoding="utf-8").splitlines()
    periers = next(r for r in rows if r.startswith("cmp-ij-periers,"))
    assert ",-1.413600,49.192860," in periers  # Lambert-93 378415.4 6908226.4 converted with pyproj
    assert rows[1:] == sorted(rows[1:])


@pytest.mark.parametrize(("departement", "nom", "record", "insee", "commune"), [
    ("2A", "Corse-du-Sud", "cmp-ajaccio", "2A004", "Ajaccio"),
    ("974", "La Réunion", "cmp-saint-denis", "97411", "Saint-Denis"),
])
def test_corsican_and_overseas_insee_codes(tmp_path, departement, nom, record, insee, commune) -> None:
    registry, internal = empty_registry(tmp_path, departement, nom)
    assert import_finess(registry, internal) == 0
    assert ids(internal / "structures") == {record}
    lieu = data(internal / "structures" / f"{record}.yaml")["lieux"][0]
    assert (lieu["code_insee"], lieu["commune"]) == (insee, commune)
    if departement == "974":  # UTM 40S coordinates converted too
        row = next(r for r in (internal / "imports" / "finess.csv").read_text().splitlines()[1:])
        assert ",55.444400,-20.943420," in row


def test_second_import_of_the_same_file_changes_nothing(regs, capsys) -> None:
    registry, internal = regs
    import_finess(registry, internal)
    run("candidates", "accept", "cmp-ij-periers", "cmpp-coutances", "--registry", registry, "--internal", internal,
        "--date", "2026-11-22")
    before = tree(registry, internal)
    capsys.readouterr()
    assert import_finess(registry, internal, FINESS_V1, "2026-11-23") == 0
    assert tree(registry, internal) == before
    assert "0 fichier(s) écrit(s)" in capsys.readouterr().out


def _published(regs) -> tuple[Path, Path]:
    registry, internal = regs
    import_finess(registry, internal)
    assert run("candidates", "accept", "cmpp-coutances", "sessad-avranches", "cmpp-st-hilaire", "--all-of", "cmp",
               "--registry", registry, "--internal", internal, "--date", "2026-11-22") == 0
    return registry, internal


def test_accepted_candidates_are_public_records_that_validate(regs, capsys) -> None:
    registry, internal = _published(regs)
    published = ids(registry / "structures")
    assert published == {"cmp-ij-periers", "cmp-cherbourg", "cmpp-coutances", "sessad-avranches", "cmpp-st-hilaire"}
    assert not published & ids(internal / "structures")
    record = data(registry / "structures" / "cmp-ij-periers.yaml")
    assert (record["statut"], record["verifie_le"]) == ("actif", "2026-11-22")
    assert record["source"] == "Répertoire FINESS, extraction du 20 novembre 2026 ; vérifiée le 22 novembre 2026"
    text = (registry / "structures" / "cmp-ij-periers.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schemas/structure.schema.json\n")
    # their snapshot rows moved with them: the next import has a base for the three-way merge
    public_rows = (registry / "imports" / "finess.csv").read_text().splitlines()
    assert [r.split(",")[0] for r in public_rows[1:]] == sorted(published)
    capsys.readouterr()
    assert run("validate", "--registry", registry) == 0


def test_reimport_keeps_hand_edits_reports_conflicts_closures_and_moves(regs, capsys) -> None:
    registry, internal = _published(regs)
    periers = registry / "structures" / "cmp-ij-periers.yaml"
    avranches = registry / "structures" / "sessad-avranches.yaml"
    # people edit: a phone (the register will change it too: conflict), hours (people own them)
    periers.write_text(periers.read_text().replace("02 61 91 00 01", "02 61 91 99 99"))
    avranches.write_text(avranches.read_text().replace("    telephone: \"02 61 91 00 04\"\n",
                                                       "    telephone: \"02 61 91 00 04\"\n"
                                                       "    horaires: Mo-Fr 09:00-17:00\n"))
    before_avranches = avranches.read_text()
    capsys.readouterr()
    assert import_finess(registry, internal, FINESS_V2, "2026-11-28") == 0
    report = capsys.readouterr().out
    # conflict: the person's value is kept and reported
    assert data(periers)["lieux"][0]["telephone"] == "02 61 91 99 99"
    assert "cmp-ij-periers — lieu n° 1 › téléphone : fiche « 02 61 91 99 99 », répertoire « 02 61 91 00 21 »" in report
    # the register's new address followed, the hours kept, and only that line changed
    after = avranches.read_text()
    assert data(avranches)["lieux"][0]["horaires"] == "Mo-Fr 09:00-17:00"
    changed = [(a, b) for a, b in zip(before_avranches.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == [("  - adresse: 8 place Littré", "  - adresse: 14 place du Marché")]
    # the closed establishment is proposed as « cesse », never deleted
    assert data(registry / "structures" / "cmp-cherbourg.yaml")["statut"] == "cesse"
    assert ("cmp-cherbourg — Centre Médico-Psychologique Infanto-Juvénile de Cherbourg : statut passé à « cesse »"
            in report)
    # the establishment that moved to Caen is reported with its new address, and left unchanged
    assert "cmpp-st-hilaire" in report and "15 rue Saint-Pierre, 14000 Caen (14)" in report
    assert data(registry / "structures" / "cmpp-st-hilaire.yaml")["lieux"][0]["commune"] == "Saint-Hilaire-du-Harcouët"
    capsys.readouterr()
    assert run("validate", "--registry", registry) == 0


def test_closure_is_proposed_once_and_a_second_run_changes_nothing(regs, capsys) -> None:
    registry, internal = _published(regs)
    import_finess(registry, internal, FINESS_V2, "2026-11-28")
    cherbourg = registry / "structures" / "cmp-cherbourg.yaml"
    cherbourg.write_text(cherbourg.read_text().replace("statut: cesse", "statut: actif"))  # a person disagrees
    before = tree(registry, internal)
    capsys.readouterr()
    assert import_finess(registry, internal, FINESS_V2, "2026-12-05") == 0
    assert tree(registry, internal) == before
    assert "cessation déjà proposée" in capsys.readouterr().out


def test_withdrawn_record_is_never_modified_nor_recreated(regs, capsys) -> None:
    registry, internal = _published(regs)
    periers = registry / "structures" / "cmp-ij-periers.yaml"
    periers.write_text(periers.read_text().replace("statut: actif", "statut: retire"))
    before = periers.read_text()
    capsys.readouterr()
    assert import_finess(registry, internal, FINESS_V2, "2026-11-28") == 0
    assert periers.read_text() == before  # the register's new phone is not applied
    assert "cmp-ij-periers" not in ids(internal / "structures")
    assert "fiches retirées, laissées telles quelles : 1" in capsys.readouterr().out
    assert "cmp-ij-periers," not in (registry / "imports" / "finess.csv").read_text()


def test_rejected_candidate_is_not_proposed_again(regs, capsys) -> None:
    registry, internal = regs
    import_finess(registry, internal)
    assert run("candidates", "reject", "ch-granville", "--registry", registry, "--internal", internal,
               "--date", "2026-11-22") == 0
    assert "ch-granville" not in ids(internal / "structures")
    refusals = (internal / "imports" / "refus.csv").read_text().splitlines()
    assert refusals == ["source,identifiant,id,nom,date",
                        "finess,509900056,ch-granville,Centre Hospitalier de Granville,2026-11-22"]
    capsys.readouterr()
    assert import_finess(registry, internal, FINESS_V1, "2026-11-23") == 0
    assert "ch-granville" not in ids(internal / "structures")
    assert "refusés auparavant, non proposés : 1" in capsys.readouterr().out


def test_candidates_list_and_unknown_ids(regs, capsys) -> None:
    registry, internal = regs
    import_finess(registry, internal)
    capsys.readouterr()
    assert run("candidates", "list", "--all-of", "cmpp", "--registry", registry, "--internal", internal) == 0
    out = capsys.readouterr().out
    assert "cmpp-coutances — Centre médico-psycho-pédagogique (CMPP)" in out and "2 candidat(s)." in out
    assert run("candidates", "accept", "cmp-perier", "--registry", registry, "--internal", internal) == 2
    assert "vouliez-vous dire « cmp-ij-periers »" in capsys.readouterr().err


def test_truncated_file_gets_its_line_and_nothing_is_written(regs, capsys) -> None:
    registry, internal = regs
    before = tree(registry, internal)
    assert import_finess(registry, internal, FIXTURES / "finess-tronque.csv") == 1
    err = capsys.readouterr().err
    assert "finess-tronque.csv, ligne 3 : ligne « structureet » incomplète" in err
    assert "Rien n'a été écrit." in err
    assert tree(registry, internal) == before


def test_a_file_of_the_other_register_is_refused(regs, capsys) -> None:
    registry, internal = regs
    assert import_finess(registry, internal, RPPS_ACTIVITY) == 1
    assert "ligne 1 : ce fichier n'est pas une extraction FINESS" in capsys.readouterr().err
    assert import_rpps(registry, internal, FINESS_V1) == 1
    assert "ligne 1 : ce fichier n'est pas une extraction de l'Annuaire santé" in capsys.readouterr().err


def test_without_internal_registry_new_entries_are_only_counted(regs, capsys) -> None:
    registry, _internal = regs
    assert import_finess(registry, None) == 0
    assert "non enregistrés : 8" in capsys.readouterr().out
    assert not (registry / "structures").exists()


def test_scope_options(regs, capsys) -> None:
    registry, internal = regs
    assert import_finess(registry, internal, FINESS_V1, "2026-11-21", "--categories", "cmp") == 0
    assert ids(internal / "structures") == {"cmp-ij-periers", "cmp-cherbourg"}
    assert import_finess(registry, internal, FINESS_V1, "2026-11-21", "--categories", "cmpx") == 2
    assert "terme inconnu du vocabulaire : « cmpx » (vouliez-vous dire « cmp » ?)" in capsys.readouterr().err
    assert import_finess(registry, internal, FINESS_V1, "2026-11-21", "--categories", "pco-tnd") == 2
    assert import_finess(registry, internal, FINESS_V1, "2026-11-21", "--professions", "pediatre") == 2


def test_probable_match_of_a_record_without_identifier_is_reported_not_applied(regs, capsys) -> None:
    registry, internal = regs
    (registry / "structures").mkdir()
    hand = registry / "structures" / "pmi-de-valognes.yaml"
    hand.write_text("""\
nom: PMI de Valognes
categorie: pmi
lieux:
  - adresse: 10 rue des Récollets
    code_postal: "50700"
    commune: Valognes
    code_insee: "50615"
statut: actif
verifie_le: 2026-10-01
source: Réunion du réseau
""")
    before = hand.read_text()
    assert import_finess(registry, internal) == 0
    out = capsys.readouterr().out
    assert "pmi-de-valognes ↔ Centre de Protection Maternelle et Infantile de Valognes" in out
    assert 'ajoutez-y « finess: "509900122" »' in out
    assert hand.read_text() == before
    assert "pmi-valognes" not in ids(internal / "structures")


def test_mass_closure_means_an_incomplete_file(regs, capsys, tmp_path) -> None:
    registry, internal = regs
    lines = FINESS_V1.read_bytes().decode("cp1252").splitlines()
    rows = [r for r in lines[1:] if r.startswith("structureet;")]
    many = [lines[0]]
    for n in range(12):  # twelve CMP of Coutances, then a file with only the first one
        fields = rows[0].split(";")
        from maillage.validation.identifiers import fictional_finess

        fields[1] = fictional_finess("50", 100 + n)
        fields[7] = str(n + 1)
        many.append(";".join(fields))
    full, partial = tmp_path / "full.csv", tmp_path / "partial.csv"
    full.write_text("\n".join(many) + "\n")
    partial.write_text("\n".join(many[:2]) + "\n")
    import_finess(registry, internal, full)
    assert run("candidates", "accept", "--all-of", "cmp", "--registry", registry, "--internal", internal) == 0
    before = tree(registry, internal)
    capsys.readouterr()
    assert import_finess(registry, internal, partial, "2026-11-22") == 1
    assert "le fichier semble incomplet" in capsys.readouterr().err
    assert tree(registry, internal) == before


def test_comments_and_layout_of_a_record_are_kept(regs) -> None:
    registry, internal = _published(regs)
    path = registry / "structures" / "cmp-ij-periers.yaml"
    text = path.read_text().replace("nom: Centre", "# Fiche relue avec le secrétariat\nnom: Centre")
    text = text.replace("statut: actif", "ages: {min: 0, max: 18}  # âges déclarés\nstatut: actif")
    path.write_text(text)
    import_finess(registry, internal, FINESS_V2, "2026-11-28")
    after = path.read_text()
    assert "# Fiche relue avec le secrétariat\n" in after and "ages: {min: 0, max: 18}  # âges déclarés\n" in after


# --- RPPS ----------------------------------------------------------------------------------------


def test_rpps_zip_maps_professions_by_code_and_savoir_faire(regs, capsys) -> None:
    registry, internal = regs
    assert import_rpps(registry, internal, RPPS_ZIP) == 0
    out = capsys.readouterr().out
    folder = internal / "professionnels"
    professions = {p.stem: data(p)["profession"] for p in folder.glob("*.yaml")}
    assert professions == {
        "martin-jeanne": "pediatre",  # code 10 + SM40
        "durand-paul": "medecin-generaliste",  # code 10 + SM54
        "le-roux-zoe": "pedopsychiatre",  # code 10 + SM43
        "lefevre-claire": "orthophoniste", "lambert-anne": "orthophoniste",
        "moreau-julie": "psychologue",  # usager de titre 93, ADELI
        "girard-hugo": "psychologue",  # usager de titre 93, RPPS
        "rousseau-ines": "psychomotricien",
        "faure-emma": "infirmier-puericulteur",  # code 60 + SI08
        "blanc-louis": "infirmier",  # code 60 without savoir-faire
    }
    assert "médecins sans spécialité reconnue : 2" in out  # a cardiologist, a physician without savoir-faire
    moreau = data(folder / "moreau-julie.yaml")
    assert moreau["adeli"] == "509312345" and "rpps" not in moreau
    martin = data(folder / "martin-jeanne.yaml")
    assert [lieu["commune"] for lieu in martin["lieux"]] == ["Coutances", "Saint-Lô"]  # two sites, one record
    assert martin["lieux"][0]["nom"] == "Cabinet de Pediatrie"
    schemas = load_schemas()
    assert all(schemas.is_valid("professionnel", data(p)) for p in folder.glob("*.yaml"))


def test_rpps_plain_files_with_bom_give_the_same_candidates_as_the_zip(tmp_path) -> None:
    reg_a, int_a = empty_registry(tmp_path / "a")
    reg_b, int_b = empty_registry(tmp_path / "b")
    assert RPPS_ACTIVITY.read_bytes().startswith(b"\xef\xbb\xbf")
    assert import_rpps(reg_a, int_a, RPPS_ZIP) == 0
    assert import_rpps(reg_b, int_b, RPPS_SAVOIR_FAIRE, RPPS_ACTIVITY) == 0  # any order
    files_a = {p.name: p.read_text() for p in (int_a / "professionnels").glob("*.yaml")}
    files_b = {p.name: p.read_text() for p in (int_b / "professionnels").glob("*.yaml")}
    assert files_a == files_b and len(files_a) == 10


def test_rpps_older_latin1_vintage_is_read_by_column_names(regs) -> None:
    registry, internal = regs
    assert import_rpps(registry, internal, FIXTURES / "rpps-ancien-latin1.txt") == 0
    folder = internal / "professionnels"
    assert data(folder / "le-roux-zoe.yaml")["prenom"] == "Zoé"  # decoded from Latin-1
    assert data(folder / "le-roux-zoe.yaml")["profession"] == "pedopsychiatre"  # savoir-faire in the same file
    assert data(folder / "rousseau-ines.yaml")["lieux"][0]["adresse"] == "30 boulevard du Luxembourg"


def test_rpps_truncated_line_is_an_error_naming_the_line(regs, capsys) -> None:
    registry, internal = regs
    before = tree(registry, internal)
    assert import_rpps(registry, internal, FIXTURES / "rpps-tronque.txt") == 1
    err = capsys.readouterr().err
    assert "rpps-tronque.txt, ligne 5 :" in err and "57 attendus d'après l'en-tête" in err
    assert tree(registry, internal) == before


def test_rpps_reimport_follows_phone_reports_move_and_proposes_closure(regs, capsys) -> None:
    registry, internal = regs
    import_rpps(registry, internal, RPPS_ZIP)
    assert run("candidates", "accept", "girard-hugo", "lefevre-claire", "lambert-anne", "moreau-julie",
               "--registry", registry, "--internal", internal, "--date", "2026-11-22") == 0
    capsys.readouterr()
    assert import_rpps(registry, internal, RPPS_ACTIVITY_V2, RPPS_SAVOIR_FAIRE, date="2026-11-28") == 0
    out = capsys.readouterr().out
    folder = registry / "professionnels"
    assert data(folder / "girard-hugo.yaml")["lieux"][0]["telephone"] == "02 61 91 01 21"
    assert "lefevre-claire — Claire Lefevre (RPPS 19900000068) : exerce désormais 3 rue Saint-Jean, 14000 Caen (14)" \
        in out
    assert data(folder / "lefevre-claire.yaml")["lieux"][0]["commune"] == "Granville"
    assert data(folder / "lambert-anne.yaml")["statut"] == "cesse"
    assert data(folder / "moreau-julie.yaml")["statut"] == "actif"  # ADELI still there
    capsys.readouterr()
    assert run("validate", "--registry", registry) == 0


def test_dry_run_writes_nothing(regs, capsys) -> None:
    registry, internal = regs
    before = tree(registry, internal)
    assert import_rpps(registry, internal, RPPS_ZIP, extra=("--dry-run",)) == 0
    assert "simulation" in capsys.readouterr().out
    assert tree(registry, internal) == before


def test_summary_markdown_for_the_pull_request(regs, tmp_path) -> None:
    registry, internal = _published(regs)
    summary = tmp_path / "resume.md"
    assert import_finess(registry, internal, FINESS_V2, "2026-11-28", "--summary", str(summary)) == 0
    text = summary.read_text()
    assert text.startswith("## Import Répertoire FINESS — département 50")
    assert "### Cessations proposées" in text and "`cmp-cherbourg`" in text


def test_readonly_fixture_copy_is_untouched(tmp_path) -> None:
    """The fixtures themselves are never written (a copy is read like any file)."""
    copy = tmp_path / "copy.csv"
    shutil.copy(FINESS_V1, copy)
    registry, internal = empty_registry(tmp_path / "r")
    assert import_finess(registry, internal, copy) == 0
    assert copy.read_bytes() == FINESS_V1.read_bytes()


def test_a_candidate_whose_identifier_is_already_public_is_not_accepted(regs, capsys) -> None:
    registry, internal = regs
    import_finess(registry, internal)
    (registry / "structures").mkdir()
    text = (internal / "structures" / "cmp-ij-periers.yaml").read_text().replace("statut: candidat", "statut: actif")
    (registry / "structures" / "cmp-de-periers.yaml").write_text(text)
    before = tree(registry, internal)
    assert run("candidates", "accept", "cmp-ij-periers", "--registry", registry, "--internal", internal) == 2
    assert "509900015 déjà dans « cmp-de-periers »" in capsys.readouterr().err
    assert tree(registry, internal) == before


# --- --all-of: the words of the vocabulary; ids no longer candidates say why ----------------------------------


@pytest.mark.parametrize("word", ["CMPP", "cmpp", "Centre médico-psycho-pédagogique",
                                  "centre medico-psycho-pedagogique"])
def test_all_of_accepts_any_case_labels_and_synonyms(regs, capsys, word: str) -> None:
    registry, internal = regs
    import_finess(registry, internal)
    capsys.readouterr()
    assert run("candidates", "list", "--all-of", word, "--registry", registry, "--internal", internal) == 0
    out = capsys.readouterr().out
    assert "cmpp-coutances — " in out and "cmpp-st-hilaire — " in out and "2 candidat(s)." in out
    assert "cmp-ij-periers" not in out


def test_all_of_an_unknown_term_is_refused_with_a_suggestion(regs, capsys) -> None:
    registry, internal = regs
    import_finess(registry, internal)
    before = tree(registry, internal)
    capsys.readouterr()
    for action in ("list", "accept", "reject"):
        assert run("candidates", action, "--all-of", "cmpx", "--registry", registry, "--internal", internal) == 2
        err = capsys.readouterr().err
        assert "--all-of : terme inconnu du vocabulaire : « cmpx » (vouliez-vous dire « cmp » ?)" in err
        assert "Aucun candidat" not in err
    assert tree(registry, internal) == before
    # the same words for the import: its --categories reads the vocabulary the same way
    assert import_finess(registry, internal, FINESS_V1, "2026-11-23", "--categories", "CMPP") == 0


def test_a_candidate_already_published_or_refused_says_so(regs, capsys) -> None:
    registry, internal = regs
    import_finess(registry, internal)
    assert run("candidates", "accept", "cmpp-coutances", "--registry", registry, "--internal", internal,
               "--date", "2026-11-22") == 0
    assert run("candidates", "reject", "ch-granville", "--registry", registry, "--internal", internal,
               "--date", "2026-11-22") == 0
    capsys.readouterr()
    assert run("candidates", "accept", "cmpp-coutances", "--registry", registry, "--internal", internal) == 2
    err = capsys.readouterr().err
    assert "« cmpp-coutances » est déjà publiée" in err and "introuvable" not in err
    assert run("candidates", "accept", "ch-granville", "--registry", registry, "--internal", internal) == 2
    err = capsys.readouterr().err
    assert "« ch-granville » est déjà refusée (le 22 novembre 2026" in err and "introuvable" not in err
    assert run("candidates", "reject", "cmpp-coutances", "--registry", registry, "--internal", internal) == 2
    assert "déjà publiée" in capsys.readouterr().err
