"""Which book a verse comes from: classify rows (docs/OWN_DATA.md) from the King James Version, one verse's text a
row (the reference cut off), the book's name its label. Each book gives the same number of verses, drawn with
random.Random(seed) and kept in book order; then split.py's stratified 80/20 split.
Usage: python3 kjv_books.py OUT_DIR SEED VERSES_PER_BOOK NAME=VERSES.txt…  (one verse a line)"""
import os
import random
import sys

from split import stratified_split, write_jsonl


def main(out, seed, per_book, books):
    rng = random.Random(seed)
    rows = []
    for name, path in books:
        with open(path, encoding="utf-8") as f:
            verses = [line.rstrip("\n") for line in f if line.strip()]
        if len(verses) < per_book:
            sys.exit(f"{path}: {len(verses)} verses, fewer than {per_book}")
        rows += [(verses[i], name) for i in sorted(rng.sample(range(len(verses)), per_book))]
    test = stratified_split([label for _, label in rows], seed)
    os.makedirs(out, exist_ok=True)
    write_jsonl(os.path.join(out, "kjv-books-train.jsonl"), [r for i, r in enumerate(rows) if i not in test])
    write_jsonl(os.path.join(out, "kjv-books-test.jsonl"), [r for i, r in enumerate(rows) if i in test])
    print(f"{len(books)} books × {per_book} verses: {len(rows) - len(test)} train, {len(test)} test (seed {seed}) -> {out}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), [a.split("=", 1) for a in sys.argv[4:]])
