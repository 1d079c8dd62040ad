#!/usr/bin/env python3
"""Writes a deterministic, news-like JSON Lines collection for throughput runs.

Vocabulary comes from the project's own corpus/ (English and Spanish
articles), so word frequencies follow real text; articles are drawn with
Zipf-like weights, ~600 words in 6-12 paragraphs, with titles, ids, dates,
sources and names sprinkled in.

    python3 benches/gen-jsonl.py --mb 100 --seed 7 > /tmp/news-100mb.jsonl
"""
import argparse
import collections
import json
import pathlib
import random
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
NAMES = ["Nicolás Maduro", "Cilia Flores", "Gustavo Petro", "Diosdado Cabello",
         "María Corina Machado", "Edmundo González", "Luiz Inácio Lula da Silva"]
SOURCES = ["Andes Herald", "Caribbean Wire", "Northern Ledger", "Global Desk",
           "El Observador Andino", "Diario del Caribe"]


def vocabulary(lang):
    words = collections.Counter()
    for path in sorted((ROOT / "corpus" / lang).glob("*")):
        text = path.read_bytes().decode("utf-8", errors="replace")
        words.update(re.findall(r"[^\W\d_]+", text))
    ranked = [word for word, _ in words.most_common()]
    weights = [1.0 / (rank + 1) for rank in range(len(ranked))]
    return ranked, weights


def paragraph(rng, words, weights):
    sentences = []
    for _ in range(rng.randint(2, 5)):
        chosen = rng.choices(words, weights, k=rng.randint(8, 24))
        if rng.random() < 0.3:
            chosen.insert(rng.randrange(len(chosen)), rng.choice(NAMES))
        sentence = " ".join(chosen)
        sentences.append(sentence[:1].upper() + sentence[1:] + ".")
    return " ".join(sentences)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100, help="size to write, in MB (10^6 bytes)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    vocab = {"en": vocabulary("en"), "es": vocabulary("es")}
    target = int(args.mb * 1_000_000)
    written = 0
    number = 0
    out = sys.stdout
    while written < target:
        number += 1
        lang = "en" if rng.random() < 0.6 else "es"
        words, weights = vocab[lang]
        body = "\n\n".join(paragraph(rng, words, weights) for _ in range(rng.randint(6, 12)))
        record = {
            "id": f"gen-{args.seed}-{number}",
            "title": " ".join(rng.choices(words, weights, k=rng.randint(5, 11))).capitalize(),
            "body": body,
            "date": f"{rng.randint(2015, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "source": rng.choice(SOURCES),
            "url": f"https://news.example.org/{number}",
        }
        line = json.dumps(record, ensure_ascii=False) + "\n"
        out.write(line)
        written += len(line.encode("utf-8"))


if __name__ == "__main__":
    main()
