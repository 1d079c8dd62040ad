#!/usr/bin/env python3
"""Writes newswire.conll: sentences in the forms of newswire sports and business
pages, annotated by this project, for the shipped recogniser to learn that a place
name in a results line, a league table or a match report is a team (an
organisation), that a name with a legal form (`Corp`, `Inc`, `AG`) is a company,
while a dateline, a player's country and a place in running text stay places.

    python3 schema/ner/newswire.py > schema/ner/newswire.conll

Deterministic (fixed seed). Team and place names come from gazette's own authority
files (GeoNames, CC BY 4.0) and the lists below; person names from the shipped
first-names list and the surnames below. Nothing here is copied from any corpus.
"""
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
AUTHORITY = HERE.parent / "authority"

SURNAMES = """Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson
Evans Walker White Roberts Green Hall Wood Jackson Clarke Garcia Martinez Lopez Gonzalez
Rodriguez Fernandez Silva Santos Pereira Costa Muller Schmidt Schneider Fischer Weber
Meyer Wagner Becker Rossi Russo Ferrari Esposito Bianchi Romano Dubois Durand Lefebvre
Moreau Laurent Petrov Ivanov Novak Kowalski Nielsen Jensen Hansen Larsen Andersson
Johansson Karlsson Nakamura Suzuki Tanaka Kim Lee Park Chen Wang Okafor Mensah Diallo""".split()

SUFFIXES = ["United", "City", "Rovers", "Athletic", "Wanderers", "FC", "Town", "Albion",
            "County", "Rangers", "Sporting", "Real", "Dynamo", "Olympic"]
PREFIXED = {"Real", "Dynamo", "Sporting", "Olympic"}
COUNTIES = """Derbyshire Durham Essex Glamorgan Gloucestershire Hampshire Kent Lancashire
Leicestershire Middlesex Northamptonshire Nottinghamshire Somerset Surrey Sussex
Warwickshire Worcestershire Yorkshire""".split()
INDUSTRIES = """Industries Holdings Motors Bank Group Airlines Energy Foods Steel Chemical
Petroleum Mining Electronics Insurance Capital Pharmaceuticals Telecom Shipping""".split()
LEGAL = ["Corp", "Corp.", "Inc", "Inc.", "Co", "Co.", "Ltd", "Plc", "AG", "SA", "NV", "Corporation",
         "Group", "International"]
DEMONYMS = """American British French German Spanish Italian Russian Chinese Japanese Indian
Brazilian Mexican Colombian Venezuelan Argentine Chilean Peruvian Cuban Canadian Australian
Dutch Belgian Swiss Austrian Swedish Norwegian Danish Finnish Polish Czech Hungarian Greek
Turkish Iranian Iraqi Syrian Israeli Palestinian Egyptian Saudi Nigerian Kenyan South-African
Korean Vietnamese Thai Indonesian Pakistani Afghan Ukrainian Irish Scottish Portuguese
European Asian African Latin Arab""".split()
BODIES = ["Parliament", "Commission", "Central Bank", "Senate", "Supreme Court", "Foreign Ministry",
          "Defence Ministry", "Finance Ministry", "Football Federation", "Council", "Cabinet",
          "Olympic Committee", "Chamber of Commerce", "Academy of Sciences", "Development Bank"]
INSTITUTES = ["Centre", "Center", "Institute", "Council", "Foundation", "Society", "Office", "Agency"]
FIELDS = ["Andean Studies", "Strategic Studies", "Economic Research", "International Affairs",
          "Human Rights", "Peace", "Public Health", "Climate Research", "Foreign Relations"]
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


def names(path):
    out = []
    for line in path.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            parts = line.split("\t")
            if len(parts) > 1:
                out.append(parts[1])
    return out


def main():
    rng = random.Random(20261206)
    cities = [c for c in names(AUTHORITY / "cities.tsv") + names(AUTHORITY / "us-states.tsv") if c.isascii()]
    countries = [c for c in names(AUTHORITY / "countries.tsv") if c.isascii() and len(c.split()) <= 2]
    first = [n.strip() for n in (AUTHORITY / "first-names.txt").read_text("utf-8").splitlines()
             if n.strip() and not n.startswith("#") and n.strip().isascii()]

    def team():
        r = rng.random()
        if r < 0.15:
            words = [rng.choice(COUNTIES)]
        else:
            words = rng.choice(cities).split()
            if r > 0.6:
                suffix = rng.choice(SUFFIXES)
                words = [suffix] + words if suffix in PREFIXED else words + [suffix]
        if rng.random() < 0.25:
            words = [w.upper() for w in words]
        return [(w, "B-ORG" if i == 0 else "I-ORG") for i, w in enumerate(words)]

    def span(text, kind, upper=False):
        words = text.split()
        if upper:
            words = [w.upper() for w in words]
        return [(w, ("B-" if i == 0 else "I-") + kind) for i, w in enumerate(words)]

    def company():
        words = [rng.choice(SURNAMES)]
        if rng.random() < 0.5:
            words.append(rng.choice(INDUSTRIES))
        if rng.random() < 0.8:
            words.append(rng.choice(LEGAL))
        return [(w, "B-ORG" if i == 0 else "I-ORG") for i, w in enumerate(words)]

    def person():
        return span(f"{rng.choice(first)} {rng.choice(SURNAMES)}", "PER")

    def o(*words):
        return [(w, "O") for w in words]

    def n(top=9):
        return str(rng.randint(0, top))

    templates = [
        lambda: team() + o(n(5)) + team() + o(n(5)),
        lambda: team() + o(n(5)) + team() + o(n(5), "(", n(3), ")"),
        lambda: team() + o(*(n(40) for _ in range(6))),
        lambda: team() + o(n(99), n(99), "." + n(999).zfill(3), n(20)),
        lambda: team() + o("AT") + team(),
        lambda: team() + o(n(400), "and", f"{n(300)}-{n(9)}", "(") + person() + o(n(150), ")", "v") + team(),
        lambda: team() + o("beat") + team() + o("by", n(9), "wickets", "."),
        lambda: team() + o("beat") + team() + o(f"{n(5)}-{n(3)}", "on", rng.choice(DAYS), "."),
        lambda: team() + o("drew", f"{n(3)}-{n(3)}", "with") + team() + o("."),
        lambda: person() + o("scored", "twice", "for") + team() + o("."),
        lambda: team() + o("manager") + person() + o("said", ":"),
        lambda: person() + o("(") + team() + o(")", n(30)),
        lambda: o("Result", "in", "a", "league", "match", "on", rng.choice(DAYS), ":") + team() + o(n(5)) + team() + o(n(5)),
        lambda: company() + o("said", "on", rng.choice(DAYS), "it", "would", "buy") + company() + o("for", n(900), "million", "dlrs", "."),
        lambda: o("Shares", "of") + company() + o("rose", n(90), "cents", "to", n(90), "."),
        lambda: company() + o("said", "its", "first-quarter", "net", "profit", "rose", n(60), "pct", "."),
        lambda: person() + o(",", "chairman", "of") + company() + o(",", "said", "the", "deal", "was", "done", "."),
        lambda: company() + o(",", "based", "in") + span(rng.choice(cities), "LOC") + o(",", "said", "sales", "fell", "."),
        lambda: o("the") + span(f"{rng.choice(DEMONYMS)} {rng.choice(BODIES)}", "ORG") + o("said", "on", rng.choice(DAYS), "it", "would", "watch", "the", "talks", "."),
        lambda: person() + o(",", "a", "researcher", "at", "the") + span(f"{rng.choice(INSTITUTES)} for {rng.choice(FIELDS)}", "ORG") + o("in") + span(rng.choice(cities), "LOC") + o(",", "said", "so", "."),
        lambda: span(rng.choice(DEMONYMS), "MISC") + o("officials", "said", "they", "would", "attend", "."),
        lambda: o("A") + span(rng.choice(DEMONYMS), "MISC") + o("court", "ruled", "against") + company() + o("."),
        lambda: o("Talks", "between", "the") + span(rng.choice(DEMONYMS), "MISC") + o("and") + span(rng.choice(DEMONYMS), "MISC") + o("governments", "resumed", "in") + span(rng.choice(cities), "LOC") + o("."),
        # Places that stay places.
        lambda: span(rng.choice(cities), "LOC", upper=True) + o(f"1996-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"),
        lambda: span(rng.choice(cities), "LOC", upper=True) + o(",") + span(rng.choice(countries), "LOC") + o(f"1996-0{rng.randint(1, 9)}-{rng.randint(10, 28)}"),
        lambda: person() + o("(") + span(rng.choice(countries), "LOC") + o(")", n(9), n(9), n(9)),
        lambda: o("The", "match", "was", "played", "in") + span(rng.choice(cities), "LOC") + o("on", rng.choice(DAYS), "."),
        lambda: person() + o("of") + span(rng.choice(countries), "LOC") + o("won", "the", "title", "."),
    ]
    for _ in range(6000):
        sentence = rng.choice(templates)()
        print("\n".join(f"{w} {t}" for w, t in sentence))
        print()


if __name__ == "__main__":
    main()
