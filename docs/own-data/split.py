"""The seeded, stratified 80/20 split the real-data scripts share (docs/REAL_DATA.md): in each class, in file order,
the rows are shuffled with Python's random.Random(seed) and the first round(20%) go to the test file; both files keep
the source order. Standard library only."""
import json
import random


def stratified_split(labels, seed, test_share=0.2):
    """The indices of the test rows: round(test_share × n) of each class's n rows (halves rounded up)."""
    rng = random.Random(seed)
    test = set()
    for label in sorted(set(labels), key=str):
        members = [i for i, l in enumerate(labels) if l == label]
        rng.shuffle(members)
        test.update(members[: int(len(members) * test_share + 0.5)])
    return test


def write_jsonl(path, rows):
    """One {"input": …, "label": …} object a line, compact, UTF-8."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for inputs, label in rows:
            f.write(json.dumps({"input": inputs, "label": label}, ensure_ascii=False, separators=(",", ":")) + "\n")
