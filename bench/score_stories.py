#!/usr/bin/env python3
"""Pairwise F1 of the `story` grouping in a built dossier.json against gen_corpus.py --hard's
gold_origins.tsv (report<TAB>origin<TAB>wire): a pair of reports is positive when both carry one
story. Also scores the origins' wires (the gold's `wire` against the report's origin wire).

    bench/score_stories.py DOSSIER_JSON GOLD_ORIGINS_TSV [--errors N]
"""
import collections, json, sys

def pairs_in(groups):
    return sum(len(g) * (len(g) - 1) // 2 for g in groups.values())

def main():
    doc = json.load(open(sys.argv[1]))
    errors = int(sys.argv[sys.argv.index("--errors") + 1]) if "--errors" in sys.argv else 0
    gold, gold_wire = {}, {}
    for line in open(sys.argv[2]).read().splitlines()[1:]:
        r, o, w = line.split("\t")
        gold[r], gold_wire[r] = o, w
    ours = {r["id"]: r["story"] for r in doc["reports"] if r["id"] in gold}
    origin = {r["id"]: r["origin"] for r in doc["reports"] if r["id"] in gold}
    both = collections.Counter((gold[r], ours[r]) for r in ours)
    tp = sum(c * (c - 1) // 2 for c in both.values())
    g = collections.Counter(gold[r] for r in ours)
    o = collections.Counter(ours.values())
    gp = sum(c * (c - 1) // 2 for c in g.values())
    op = sum(c * (c - 1) // 2 for c in o.values())
    p = tp / op if op else 1.0
    rc = tp / gp if gp else 1.0
    f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
    print(f"reports {len(ours)}  gold stories {len(g)}  ours {len(o)}")
    print(f"pairs: gold {gp}  ours {op}  both {tp}")
    print(f"pairwise precision {p:.4f}  recall {rc:.4f}  F1 {f1:.4f}")
    # Wires: the gold's agency for copies of wire stories, against our origin's wire.
    wired = [r for r in ours if gold_wire[r] != "own"]
    right = sum(1 for r in wired if origin[r].get("wire") == gold_wire[r])
    own_as_wire = sum(1 for r in ours if gold_wire[r] == "own" and origin[r]["kind"] == "wire")
    print(f"wire copies {len(wired)}: origin names the gold wire {right} ({right / max(1, len(wired)):.3f}); "
          f"own reports with a wire origin {own_as_wire} (credited own reports count here)")
    if errors:
        by_gold = collections.defaultdict(set)
        for r in ours:
            by_gold[gold[r]].add(ours[r])
        split = [k for k, v in by_gold.items() if len(v) > 1][:errors]
        by_ours = collections.defaultdict(set)
        for r in ours:
            by_ours[ours[r]].add(gold[r])
        merged = [k for k, v in by_ours.items() if len(v) > 1][:errors]
        print("split gold stories:", split)
        print("merged (ours):", merged)

main()
