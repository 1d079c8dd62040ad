#!/usr/bin/env bash
# Rebuilds the shipped English recogniser, schema/ner/en.model, byte for byte.
#
#     bash schema/ner/train.sh DATA [GAZETTE]
#
# DATA is the folder of redistributable NER data (wikigold, BTC and WNUT17 in
# CoNLL form, as in MODEL-CARD.md); GAZETTE defaults to target/release/gazette.
# Only annotations whose terms allow redistributing a model trained on them are
# used, and newswire.conll, written by this project (newswire.py).
set -euo pipefail
data=${1:?usage: train.sh DATA [GAZETTE]}
gazette=${2:-target/release/gazette}
here=$(cd "$(dirname "$0")" && pwd)
"$gazette" train-ner \
    "$data/wikigold/CONLL-format/data/wikigold.conll.txt" \
    "$data/BTC/CONLL-format/data" \
    "$data/WNUT17/CONLL-format/data" \
    "$here/newswire.conll" \
    --map group=org --map corporation=org --map creative-work=misc --map product=misc \
    --language en --epochs 10 --seed 1 --prune 0.06 \
    --out "$here/en.model"
