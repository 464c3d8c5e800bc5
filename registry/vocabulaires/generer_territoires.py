#!/usr/bin/env python3
"""Génère territoires.yaml : les territoires (fictifs) qui regroupent les communes de la Manche.

Chaque commune de la Manche (département 50) est rattachée au territoire dont le
chef-lieu est le plus proche, en distance orthodromique entre centroïdes de communes.
Le découpage est illustratif : ce n'est pas la carte officielle du Département.

Usage :
    python3 registry/vocabulaires/generer_territoires.py CHEMIN/communes-france-2024.csv
    python3 registry/vocabulaires/generer_territoires.py CHEMIN.csv --sortie -  # sortie standard

Le script n'utilise que la bibliothèque standard et il est déterministe : les mêmes
données produisent exactement le même fichier.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from dataclasses import dataclass
from pathlib import Path

DEPARTEMENT = "50"
RAYON_TERRESTRE_KM = 6371.0088  # rayon moyen de l'UGGI

# Territoires : (identifiant, libellé, code INSEE du chef-lieu). L'ordre sert aussi à
# départager deux chefs-lieux exactement à la même distance d'une commune (le premier
# de la liste l'emporte).
TERRITOIRES: tuple[tuple[str, str, str], ...] = (
    ("cotentin-nord", "Cherbourg et Nord-Cotentin", "50129"),  # Cherbourg-en-Cotentin
    ("cotentin-centre", "Valognes et Centre-Cotentin", "50615"),  # Valognes
    ("saint-lois", "Saint-Lô et Centre-Manche", "50502"),  # Saint-Lô
    ("coutancais", "Coutançais", "50147"),  # Coutances
    ("granvillais", "Granvillais", "50218"),  # Granville
    ("avranchin", "Avranchin", "50025"),  # Avranches
    ("sud-manche", "Saint-Hilaire-du-Harcouët et Mortainais", "50484"),  # Saint-Hilaire-du-Harcouët
)

# Autres façons de nommer chaque territoire dans la recherche de l'annuaire (clé
# « synonymes » du vocabulaire). Pas de nom de commune : la recherche reconnaît déjà les
# communes, et « Coutances » doit vouloir dire « près de Coutances », pas « le territoire ».
SYNONYMES: dict[str, tuple[str, ...]] = {
    "cotentin-nord": ("Nord-Cotentin", "territoire de Cherbourg"),
    "cotentin-centre": ("Centre-Cotentin", "territoire de Valognes"),
    "saint-lois": ("Saint-Lois", "Pays saint-lois", "Centre-Manche", "territoire de Saint-Lô"),
    "coutancais": ("Pays coutançais", "territoire de Coutances"),
    "granvillais": ("Pays granvillais", "territoire de Granville"),
    "avranchin": ("Pays d'Avranches", "territoire d'Avranches"),
    "sud-manche": ("Sud-Manche", "Mortainais", "territoire de Saint-Hilaire"),
}

EN_TETE = """\
# Vocabulaire des territoires de la Manche (département 50).
#
# FICHIER GÉNÉRÉ : ne pas le modifier à la main. Pour changer les territoires, modifier
# la liste TERRITOIRES dans generer_territoires.py puis relancer :
#   python3 registry/vocabulaires/generer_territoires.py /chemin/vers/communes-france-2024.csv
#
# Source des codes : codes officiels des communes de l'INSEE (Code officiel
# géographique 2024) et centroïdes des communes, repris du fichier
# communes-france-2024.csv (INSEE, La Poste ; Licence Ouverte 2.0). Seules les communes
# de plein exercice (commune_type = COM) sont rattachées ; les communes déléguées
# suivent leur commune nouvelle.
#
# Clés propres à ce vocabulaire :
# - synonymes : autres noms du territoire pour la recherche de l'annuaire ;
# - chef_lieu : code INSEE de la commune principale du territoire ;
# - communes : codes INSEE des communes du territoire, triés (le nom de la commune est
#   rappelé en commentaire).
"""

DESCRIPTION = (
    "Territoires qui regroupent les communes de la Manche pour lire la couverture de "
    "l'offre de soins et dire quelles communes une structure sectorisée couvre. Ce "
    "découpage est illustratif (exemple fictif) : ce n'est pas la carte officielle du "
    "Département. Chaque commune est rattachée au territoire dont le chef-lieu est le "
    "plus proche, à vol d'oiseau entre les centres des communes. Un Département qui "
    "utilise Maillage remplace ce fichier par ses propres territoires d'action "
    "sociale ou de santé."
)


@dataclass(frozen=True)
class Commune:
    code_insee: str
    nom: str
    lat: float
    lng: float


def lire_communes(chemin_csv: Path) -> dict[str, Commune]:
    """Communes de plein exercice du département, une par code INSEE.

    Le fichier source a une ligne par couple (commune, code postal) : une commune à
    plusieurs codes postaux y figure plusieurs fois. Son centroïde est la moyenne de
    ses lignes (elles portent en pratique les mêmes coordonnées).
    """
    lignes: dict[str, list[dict[str, str]]] = {}
    with chemin_csv.open(encoding="utf-8", newline="") as fichier:
        for ligne in csv.DictReader(fichier):
            if ligne["insee_dep"] != DEPARTEMENT or ligne["commune_type"] != "COM":
                continue
            lignes.setdefault(ligne["insee_com"], []).append(ligne)
    communes: dict[str, Commune] = {}
    for code, groupe in lignes.items():
        lat = sum(float(ligne["lat"]) for ligne in groupe) / len(groupe)
        lng = sum(float(ligne["lng"]) for ligne in groupe) / len(groupe)
        nom = groupe[0]["commune_article"] or groupe[0]["commune"]
        communes[code] = Commune(code, nom, lat, lng)
    return communes


def distance_km(a: Commune, b: Commune) -> float:
    """Distance orthodromique (formule de haversine) entre deux centroïdes."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi = phi2 - phi1
    dlambda = math.radians(b.lng - a.lng)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * RAYON_TERRESTRE_KM * math.asin(min(1.0, math.sqrt(h)))


def rattacher(communes: dict[str, Commune]) -> dict[str, list[str]]:
    """Codes INSEE de chaque territoire, triés ; chaque commune dans un seul territoire."""
    manquants = [chef for _, _, chef in TERRITOIRES if chef not in communes]
    if manquants:
        raise SystemExit(
            "Chef-lieu introuvable parmi les communes du département "
            f"{DEPARTEMENT} : {', '.join(manquants)}"
        )
    chefs = [communes[chef] for _, _, chef in TERRITOIRES]
    membres: dict[str, list[str]] = {ident: [] for ident, _, _ in TERRITOIRES}
    for code in sorted(communes):
        commune = communes[code]
        rang = min(range(len(chefs)), key=lambda i: (distance_km(commune, chefs[i]), i))
        membres[TERRITOIRES[rang][0]].append(code)
    return membres


def plier(texte: str, largeur: int = 84, retrait: str = "  ") -> list[str]:
    """Découpe un texte en lignes pour un scalaire YAML replié (>-)."""
    lignes: list[str] = []
    courante = ""
    for mot in texte.split():
        if courante and len(retrait) + len(courante) + 1 + len(mot) > largeur:
            lignes.append(retrait + courante)
            courante = mot
        else:
            courante = f"{courante} {mot}" if courante else mot
    if courante:
        lignes.append(retrait + courante)
    return lignes


def _citer(texte: str) -> str:
    """Un texte YAML entre guillemets doubles (les synonymes contiennent des apostrophes)."""
    return '"' + texte.replace("\\", "\\\\").replace('"', '\\"') + '"'


def rendre_yaml(communes: dict[str, Commune], membres: dict[str, list[str]]) -> str:
    sortie = [EN_TETE.rstrip("\n"), "titre: Territoires", "description: >-"]
    sortie.extend(plier(DESCRIPTION))
    sortie.append("termes:")
    for ident, libelle, chef in TERRITOIRES:
        sortie.append(f"  - id: {ident}")
        sortie.append(f"    libelle: {libelle}")
        if SYNONYMES.get(ident):
            sortie.append("    synonymes: [" + ", ".join(_citer(s) for s in SYNONYMES[ident]) + "]")
        sortie.append(f'    chef_lieu: "{chef}"  # {communes[chef].nom}')
        sortie.append(f"    # {len(membres[ident])} communes")
        sortie.append("    communes:")
        for code in membres[ident]:
            sortie.append(f'      - "{code}"  # {communes[code].nom}')
    return "\n".join(sortie) + "\n"


def main(argv: list[str] | None = None) -> int:
    analyseur = argparse.ArgumentParser(
        description="Génère territoires.yaml à partir du fichier des communes de France."
    )
    analyseur.add_argument("csv", type=Path, help="chemin de communes-france-2024.csv")
    analyseur.add_argument(
        "--sortie",
        default=str(Path(__file__).with_name("territoires.yaml")),
        help=(
            "fichier à écrire (par défaut territoires.yaml à côté du script ; "
            "« - » pour la sortie standard)"
        ),
    )
    arguments = analyseur.parse_args(argv)
    communes = lire_communes(arguments.csv)
    if not communes:
        print(f"Aucune commune du département {DEPARTEMENT} dans {arguments.csv}", file=sys.stderr)
        return 2
    texte = rendre_yaml(communes, rattacher(communes))
    if arguments.sortie == "-":
        sys.stdout.write(texte)
    else:
        Path(arguments.sortie).write_text(texte, encoding="utf-8")
        print(f"{arguments.sortie} : {len(communes)} communes en {len(TERRITOIRES)} territoires")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
