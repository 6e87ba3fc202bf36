"""UCI optical recognition of handwritten digits (the copy scikit-learn ships as digits.csv.gz: 1,797 rows of 64 pixel
values 0-16, row-major 8×8, then the digit) as classify rows (docs/OWN_DATA.md), split 80/20 by split.py:
  digits-rows-{train,test}.jsonl    row by row: 8 steps of 8 features (one image row a step)
  digits-pixels-{train,test}.jsonl  pixel by pixel: 64 steps of 1 feature (a small sequential MNIST)
  digits-rows-100.jsonl             the first 10 images of each digit in file order, row by row: the tests' sample
Usage: python3 digits.py DIGITS.csv.gz OUT_DIR [SEED]"""
import csv
import gzip
import os
import sys

from split import stratified_split, write_jsonl


def main(source, out, seed):
    with gzip.open(source, "rt", encoding="ascii") as f:
        images = [[int(v) for v in line] for line in csv.reader(f) if line]
    if any(len(v) != 65 for v in images):
        sys.exit(f"{source}: every line must hold 64 pixel values and the digit")
    labels = [v[64] for v in images]
    test = stratified_split(labels, seed)
    forms = {
        "rows": lambda v: [v[r * 8:(r + 1) * 8] for r in range(8)],
        "pixels": lambda v: [[p] for p in v[:64]],
    }
    os.makedirs(out, exist_ok=True)
    for name, steps in forms.items():
        for part, keep in (("train", lambda i: i not in test), ("test", lambda i: i in test)):
            write_jsonl(os.path.join(out, f"digits-{name}-{part}.jsonl"),
                        [(steps(v), labels[i]) for i, v in enumerate(images) if keep(i)])
    first = [i for i, d in enumerate(labels) if labels[:i].count(d) < 10]
    write_jsonl(os.path.join(out, "digits-rows-100.jsonl"), [(forms["rows"](images[i]), labels[i]) for i in first])
    print(f"{len(images)} images: {len(images) - len(test)} train, {len(test)} test (seed {seed}) -> {out}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 0)
