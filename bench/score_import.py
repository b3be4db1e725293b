#!/usr/bin/env python3
"""Score an import against gold reports (bench/make_raw.py): title, date and outlet accuracy,
and mean body token F1, per page style.

    score_import.py GOLD_DIR REPORTS_DIR
"""
import collections
import os
import re
import sys


def split(path):
    text = open(path, encoding="utf-8").read()
    _, front, body = text.split("---\n", 2)
    meta = {}
    for line in front.splitlines():
        if ":" in line and not line.startswith(" "):
            k, v = line.split(":", 1)
            meta[k.strip()] = v.strip().strip('"')
    return meta, body


def bag(s):
    return collections.Counter(w.lower() for w in re.split(r"\W+", s) if w)


def f1(a, b):
    a, b = bag(a), bag(b)
    common = sum((a & b).values())
    if not common:
        return 0.0
    p, r = common / sum(a.values()), common / sum(b.values())
    return 2 * p * r / (p + r)


def main():
    gold_dir, reports = sys.argv[1], sys.argv[2]
    by_source = {}
    for name in os.listdir(reports):
        if name.endswith(".md"):
            meta, body = split(os.path.join(reports, name))
            m = re.search(r'file: "([^"]+)\.txt"', open(os.path.join(reports, name), encoding="utf-8").read())
            if m:
                by_source[m.group(1)] = (meta, body)
    stats = collections.defaultdict(lambda: collections.Counter())
    f1s = collections.defaultdict(list)
    for name in sorted(os.listdir(gold_dir)):
        stem = name[:-3]
        gold, gbody = split(os.path.join(gold_dir, name))
        style = gold["style"]
        stats[style]["pages"] += 1
        if stem not in by_source:
            stats[style]["missing"] += 1
            continue
        meta, body = by_source[stem]
        if style != "voa":
            stats[style]["title"] += meta.get("title") == gold["title"]
        else:
            stats[style]["title"] += meta.get("title_generated") == "true"
        stats[style]["date"] += meta.get("date", "")[:10] == gold["date"]
        stats[style]["outlet"] += meta.get("outlet") == gold["outlet"]
        f1s[style].append(f1(body, gbody))
    for style, c in sorted(stats.items()):
        n = c["pages"]
        mean = sum(f1s[style]) / max(1, len(f1s[style]))
        low = min(f1s[style]) if f1s[style] else 0
        print(f"{style:7} {n:6} pages: missing {c['missing']}, title {c['title']/n:.3f}, "
              f"date {c['date']/n:.3f}, outlet {c['outlet']/n:.3f}, body F1 mean {mean:.4f} min {low:.3f}")


if __name__ == "__main__":
    main()
