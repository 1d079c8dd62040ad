#!/usr/bin/env python3
"""Precision and recall of gazette's entities against hand labels, per type.

    python3 benches/entities/score.py [--bin target/release/gazette] [--verbose]

gold.jsonl holds, for 20 corpus articles, the people, organisations and places
each names, labelled by hand from the text before the recogniser existed. An
entity counts once per article: a prediction is right when its type and name
match a gold entity. Names are compared folded (case and accents) after mapping
aliases to canonical names through the default authority (schema/authority/), so
"EE.UU." in the labels and "United States" from gazette are the same entity.
`misc` predictions are not scored (the recogniser uses misc for "type unknown").
"""
import argparse
import json
import subprocess
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TYPES = ("person", "org", "place")


def fold(text):
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower().strip()


def authority():
    canonical = {}
    for tsv in sorted((REPO / "schema" / "authority").glob("*.tsv")):
        for line in tsv.read_text("utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            kind, name, *aliases = [c.strip() for c in line.split("\t")]
            for alias in [name, *aliases]:
                canonical[(kind, fold(alias))] = fold(name)
    return canonical


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=str(REPO / "target" / "release" / "gazette"))
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    canon = authority()
    norm = lambda kind, name: canon.get((kind, fold(name)), fold(name))
    gold = [json.loads(line) for line in (Path(__file__).parent / "gold.jsonl").read_text("utf-8").splitlines() if line.strip()]
    counts = {kind: [0, 0, 0] for kind in TYPES}
    for item in gold:
        out = subprocess.run([args.bin, "extract", "--format", "json", str(REPO / item["file"])],
                             capture_output=True, text=True, check=True)
        (article,) = json.loads(out.stdout)
        for kind in TYPES:
            expected = {norm(kind, name) for name in item.get(kind, [])}
            found = {norm(kind, e["name"]) for e in article["entities"] if e["type"] == kind}
            tp = len(expected & found)
            counts[kind][0] += tp
            counts[kind][1] += len(found - expected)
            counts[kind][2] += len(expected - found)
            if args.verbose and (found - expected or expected - found):
                print(f"{item['file']} {kind}\n  extra:   {sorted(found - expected)}\n  missing: {sorted(expected - found)}")
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    print(f"{len(gold)} articles")
    for kind, (tp, fp, fn) in [*counts.items(), ("all", total)]:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{kind:6} P={p:.3f} R={r:.3f} F1={f:.3f}  (tp {tp}, fp {fp}, fn {fn})")


if __name__ == "__main__":
    main()
