"""A small fixture registry for the directory tests, and a static test site built from it.

The registry has 7 professionals and 4 structures in the Manche; coordinates are the
commune centroids of the gazetteer (no geocoding cache, no network).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from maillage.assemble.build import model_from
from maillage.core.gazetteer import Gazetteer
from maillage.core.model import Model, Position
from maillage.validation import validate
from maillage.validation.identifiers import fictional_rpps

REPO = Path(__file__).resolve().parents[1]
SENTINEL = "SENTINELLE-INTERNE-7Q2"

PLACES = {
    "coutances": ("Coutances", "50147", "50200"),
    "saint-lo": ("Saint-Lô", "50502", "50000"),
    "granville": ("Granville", "50218", "50400"),
    "cherbourg": ("Cherbourg-en-Cotentin", "50129", "50100"),
    "avranches": ("Avranches", "50025", "50300"),
    "villedieu": ("Villedieu-les-Poêles-Rouffigny", "50639", "50800"),
}


def _lieu(place: str, street: str, phone: str, pmr: bool | None = None) -> str:
    commune, insee, cp = PLACES[place]
    text = (f"  - adresse: {street}\n    code_postal: \"{cp}\"\n    commune: {commune}\n"
            f"    code_insee: \"{insee}\"\n    telephone: {phone}\n")
    if pmr is not None:
        text += f"    accessible_pmr: {'true' if pmr else 'false'}\n"
    return text


def _pro(n: int, nom: str, prenom: str, profession: str, place: str, street: str, phone: str, *,
         ages: tuple[int, int], extra: str = "", pmr: bool | None = None) -> str:
    return (
        f"nom: {nom}\nprenom: {prenom}\nprofession: {profession}\nrpps: \"{fictional_rpps(n)}\"\n"
        f"lieux:\n{_lieu(place, street, phone, pmr)}ages: {{min: {ages[0]}, max: {ages[1]}}}\n{extra}"
        "statut: actif\nverifie_le: 2026-10-01\nsource: Déclaration du professionnel\n"
    )


PROFESSIONNELS = {
    "lefevre-claire": _pro(
        1, "Lefèvre", "Claire", "orthophoniste", "coutances", "12 rue des Halles", "02 61 91 12 34",
        ages=(2, 16), pmr=True,
        extra=("specialites: [langage-oral, troubles-des-apprentissages]\nmodalites: [cabinet, domicile]\n"
               "langues: [fr, en]\nconventionnement: {secteur: secteur-1, tiers_payant: true}\n"
               "nouveaux_patients: {accepte: oui, date_information: 2026-10-01}\n"),
    ),
    "martin-paul": _pro(
        2, "Martin", "Paul", "orthophoniste", "saint-lo", "3 place Général de Gaulle", "02 61 91 12 40",
        ages=(3, 18), pmr=False,
        extra=("specialites: [begaiement]\nmodalites: [cabinet]\nlangues: [fr]\n"
               "conventionnement: {secteur: secteur-1, tiers_payant: false}\n"
               "nouveaux_patients: {accepte: non, date_information: 2026-10-01}\n"),
    ),
    "durand-sophie": _pro(
        3, "Durand", "Sophie", "psychologue", "coutances", "8 rue Saint-Nicolas", "02 61 91 12 50",
        ages=(0, 12),
        extra=("specialites: [psychotraumatisme, emdr]\nmodalites: [cabinet, visio]\nlangues: [fr, ar]\n"
               "conventionnement: {secteur: sans-objet}\nsante_protegee: {role: professionnel-forfait}\n"
               "nouveaux_patients: {accepte: oui, date_information: 2026-10-01}\n"),
    ),
    "bernard-luc": _pro(
        4, "Bernard", "Luc", "psychomotricien", "granville", "20 cours Jonville", "02 61 91 12 60",
        ages=(0, 10), pmr=True,
        extra=("specialites: [troubles-neurodeveloppementaux]\nmodalites: [cabinet]\nlangues: [fr]\n"
               "sante_protegee: {role: professionnel-forfait}\n"
               "nouveaux_patients: {accepte: liste-attente, delai_semaines: 6, date_information: 2026-10-01}\n"),
    ),
    "petit-anne": _pro(
        5, "Petit", "Anne", "pediatre", "avranches", "1 rue de la Constitution", "02 61 91 12 70",
        ages=(0, 18),
        extra=("modalites: [cabinet]\nlangues: [fr, es]\nconventionnement: {secteur: secteur-2, tiers_payant: true}\n"
               "sante_protegee: {role: medecin-referent}\n"
               "nouveaux_patients: {accepte: oui, date_information: 2026-10-01}\n"),
    ),
    "moreau-julie": _pro(
        6, "Moreau", "Julie", "medecin-generaliste", "villedieu", "5 rue Carnot", "02 61 91 12 80",
        ages=(0, 17),
        extra=("modalites: [cabinet, domicile]\nlangues: [fr]\n"
               "conventionnement: {secteur: secteur-1, tiers_payant: true}\n"
               "sante_protegee: {role: medecin-referent}\n"),
    ),
    "leroy-marc": _pro(
        7, "Leroy", "Marc", "orthophoniste", "cherbourg", "40 rue du Port", "02 61 91 12 90",
        ages=(4, 14),
        extra=("specialites: [begaiement, langage-oral]\nmodalites: [cabinet]\nlangues: [fr]\n"
               "conventionnement: {secteur: secteur-1, tiers_payant: true}\n"
               "nouveaux_patients: {accepte: oui, date_information: 2026-10-01}\n"),
    ),
}


def _structure(nom: str, categorie: str, place: str, street: str, phone: str, *, ages: tuple[int, int],
               extra: str = "", sigle: str | None = None) -> str:
    return (
        f"nom: {nom}\n" + (f"sigle: {sigle}\n" if sigle else "") + f"categorie: {categorie}\n"
        f"lieux:\n{_lieu(place, street, phone)}ages: {{min: {ages[0]}, max: {ages[1]}}}\n{extra}"
        "statut: actif\nverifie_le: 2026-09-15\nsource: Site de la structure\n"
    )


STRUCTURES = {
    "cmp-coutances": _structure(
        "Centre médico-psychologique infanto-juvénile de Coutances", "cmp", "coutances", "5 avenue du Bocage",
        "02 61 91 20 00", ages=(0, 17), sigle="CMP-IJ Coutances",
        extra=('secteur:\n  communes: ["50147", "50003", "50394"]\norientation:\n  requise: false\n'
               "frais:\n  type: gratuit\n"),
    ),
    "cmpp-saint-lo": _structure(
        "Centre médico-psycho-pédagogique de Saint-Lô", "cmpp", "saint-lo", "10 rue de la Poterne",
        "02 61 91 21 00", ages=(0, 20),
        extra=("secteur:\n  territoires: [saint-lois]\norientation:\n  requise: true\n  par: [medecin, pmi]\n"
               "  precisions: Courrier du médecin traitant.\n"
               "admission:\n  procedure: Appeler le **secrétariat**, puis premier entretien.\n"
               "  documents: [Carnet de santé]\nfrais:\n  type: pris-en-charge\n"),
    ),
    "pmi-villedieu": _structure(
        "Centre de PMI de Villedieu", "pmi", "villedieu", "2 place de la République", "02 61 91 22 00",
        ages=(0, 6),
        extra=('secteur:\n  communes: ["50639"]\norientation:\n  requise: false\nfrais:\n  type: gratuit\n'),
    ),
    "mda-manche": _structure(
        "Maison des adolescents de la Manche", "maison-des-adolescents", "saint-lo", "7 rue Havin",
        "02 61 91 23 00", ages=(11, 18),
        extra="orientation:\n  requise: false\n",
    ),
}


# The internal registry (beside the public one): internal parts holding the sentinel.
INTERNAL_PARTS = {
    "professionnels/lefevre-claire.yaml": f"interne:\n  telephone: 02 61 91 99 99\n  notes: {SENTINEL}\n",
    "structures/cmp-coutances.yaml": f"interne:\n  notes: {SENTINEL}\n",
}


def internal_of(root: Path) -> Path:
    return root.with_name(root.name + "-interne")


def make_directory_registry(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "registry" / "registre.yaml", root / "registre.yaml")
    shutil.copytree(REPO / "registry" / "vocabulaires", root / "vocabulaires",
                    ignore=shutil.ignore_patterns("*.py", "*.md"))
    for folder, records in (("professionnels", PROFESSIONNELS), ("structures", STRUCTURES)):
        (root / folder).mkdir(exist_ok=True)
        for rid, text in records.items():
            (root / folder / f"{rid}.yaml").write_text(text, encoding="utf-8")
    (root / "conventions").mkdir(exist_ok=True)
    for relative, text in INTERNAL_PARTS.items():
        (internal_of(root) / relative).parent.mkdir(parents=True, exist_ok=True)
        (internal_of(root) / relative).write_text(text, encoding="utf-8")
    return root


def centroid_resolver(lieu: dict[str, Any]) -> tuple[Position, str | None]:
    commune = Gazetteer.load().commune(lieu["code_insee"])
    assert commune is not None, lieu
    return Position(commune.latitude, commune.longitude, "commune", "gazetteer"), None


def directory_model(root: Path) -> Model:
    """The full (internal) model of the fixture registry; call ``.view("public")`` for the site."""
    result = validate(make_directory_registry(root), internal=internal_of(root))
    assert not result.errors, [p.message for p in result.errors]
    return model_from(result, resolver=centroid_resolver)


PAGE = """<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="script-src 'self'">
<title>{title}</title></head>
<body><main><h1>{title}</h1>
{body}</main></body>
</html>
"""


def write_static_site(model: Model, site: Path) -> Path:
    """A minimal static site: the directory files, both pages, and docs/assets."""
    from maillage.site.directory import commune_page, directory_files, directory_page, record_map

    for rel, data in directory_files(model).items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
    (site / "annuaire" / "index.html").write_text(
        PAGE.format(title="Annuaire", body=directory_page(model)), encoding="utf-8")
    (site / "commune").mkdir(parents=True, exist_ok=True)
    (site / "commune" / "index.html").write_text(
        PAGE.format(title="Quel service pour ma commune ?", body=commune_page(model)), encoding="utf-8")
    shutil.copytree(REPO / "docs" / "assets", site / "assets", dirs_exist_ok=True)
    for record in (*model.professionnels, *model.structures):
        folder = site / ("professionnels" if record.kind == "professionnel" else "structures") / record.id
        folder.mkdir(parents=True, exist_ok=True)
        body = (record_map(record) + '\n<script src="../../assets/vendor/leaflet/leaflet.js" defer></script>\n'
                '<link rel="stylesheet" href="../../assets/vendor/leaflet/leaflet.css">\n'
                '<link rel="stylesheet" href="../../assets/maillage/annuaire.css">\n'
                '<script src="../../assets/maillage/carte-fiche.js" defer></script>\n')
        (folder / "index.html").write_text(PAGE.format(title=record.titre, body=body), encoding="utf-8")
    return site
