#!/usr/bin/env python3
"""B-cubed precision, recall and F1 of an event grouping against gold labels.

    bcubed.py GOLD_TSV PREDICTED_TSV      # both `report<TAB>event`, with a header line
"""
import collections
import sys


def read(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            line = line.rstrip("\n")
            if line:
                r, e = line.split("\t")
                rows[r] = e
    return rows


def main():
    gold, pred = read(sys.argv[1]), read(sys.argv[2])
    # A report in no predicted event is its own cluster.
    pred = {r: (pred.get(r) or f"__alone__{r}") for r in gold}
    by_gold, by_pred = collections.defaultdict(set), collections.defaultdict(set)
    for r in gold:
        by_gold[gold[r]].add(r)
        by_pred[pred[r]].add(r)
    p = r_ = 0.0
    for item in gold:
        c, g = by_pred[pred[item]], by_gold[gold[item]]
        both = len(c & g)
        p += both / len(c)
        r_ += both / len(g)
    n = len(gold)
    p, r_ = p / n, r_ / n
    f = 2 * p * r_ / (p + r_)
    print(f"B-cubed precision {p:.4f} recall {r_:.4f} F1 {f:.4f} ({n} reports, "
          f"{len(by_gold)} gold events, {len(by_pred)} predicted)")


if __name__ == "__main__":
    main()
