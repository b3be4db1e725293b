#!/usr/bin/env python3
"""Turn a synthetic dossier (gen_corpus.py --format dossier) into raw page texts, as an analyst
would save them: each report's text wrapped in one of several outlets' chrome (tickers, menus,
"Baca Juga:" links, bylines, footers), so that `dossier import` can be benchmarked and scored
at scale against the reports it came from.

    make_raw.py CORPUS OUT          # writes OUT/<id>.txt and OUT/gold/<id>.md
"""
import os
import random
import re
import sys

MONTHS = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()
DAYS = "Senin Selasa Rabu Kamis Jumat Sabtu Minggu".split()


def parse(path):
    text = open(path, encoding="utf-8").read()
    _, front, body = text.split("---\n", 2)
    meta = {}
    for line in front.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            meta[k.strip()] = v.strip()
    return meta, body


def unq(v):
    v = v.strip()
    if v.startswith('"') and v.endswith('"'):
        return v[1:-1]
    return v


def items(v):
    v = v.strip()
    if v.startswith("["):
        return [unq(x) for x in v[1:-1].split(",") if x.strip()]
    return [unq(v)] if v and v != "null" else []


def date_words(d):
    import datetime
    y, m, day = int(d[0:4]), int(d[5:7]), int(d[8:10])
    wd = DAYS[datetime.date(y, m, day).weekday()]
    return wd, day, MONTHS[m - 1], y, d[11:16] if len(d) > 10 else None


def paragraphs(body):
    out = []
    for p in body.strip().split("\n\n"):
        p = p.strip()
        if p.startswith("## "):
            continue  # pages show subheadings, but the gold keeps them as markdown
        out.append(p)
    return out


def kontan(meta, paras, rnd):
    wd, d, m, y, t = date_words(unq(meta["date"]))
    title = unq(meta["title"])
    wire = items(meta.get("wire", ""))
    editors = items(meta.get("editors", ""))
    lines = ["kontan.co.id", "banner langganan top", "| : WIB | INDIKATOR |"]
    for sym in ["EMAS", "USD/IDR", "IDX", "LQ45"]:
        lines.append(f"  • {sym} {rnd.randint(100, 9999)},{rnd.randint(0, 99):02d}   {rnd.randint(-99, 99)},00   0,{rnd.randint(0, 99):02d}%")
    lines += ["", title, "", "", f"{wd}, {d} {m} {y} / {t or '08:00'} WIB", title,
              f"ILUSTRASI. {paras[0][:80]}. REUTERS/Staff", "", ""]
    src = " | ".join(([f"Sumber: {wire[0]}"] if wire else []) + ([f"Editor: {editors[0]}"] if editors else []))
    if src:
        lines += [src, ""]
    first = paras[0]
    lines.append(f"KONTAN.CO.ID - JAKARTA. {first}")
    for i, p in enumerate(paras[1:]):
        lines += ["", p]
        if i == 1:
            lines += ["", "Baca Juga: " + title[:40] + " Jadi Sorotan"]
    lines += ["", "", "", "TERBARU", "Kontan Academy", "Kursus Investasi untuk Pemula", "", "[X]", "×"]
    return "\n".join(lines)


def tempo(meta, paras, rnd):
    wd, d, m, y, t = date_words(unq(meta["date"]))
    title = unq(meta["title"])
    authors = items(meta.get("authors", ""))
    editors = items(meta.get("editors", ""))
    wire = items(meta.get("wire", ""))
    lines = [title, ""]
    if authors:
        lines += ["Reporter", "", authors[0], ""]
    if editors:
        lines += ["Editor", "", editors[0], ""]
    lines += [f"{wd}, {d} {m} {y} {t or '08:00'} WIB", "",
              f"Suasana pertemuan di Jakarta, {d} {m} {y}. ANTARA FOTO/Staff", "",
              f"TEMPO.CO, Jakarta - {paras[0]}"]
    for p in paras[1:]:
        lines += ["", p]
    if wire:
        lines += ["", " | ".join(w.upper() for w in wire)]
    lines += ["", "Pilihan Editor: Berita Lain Hari Ini", "", "Berita terkait", ""]
    for k in range(3):
        lines += [f"Judul Terkait Nomor {k}", "", f"{k + 1} hari lalu", "", "Baca Selengkapnya", ""]
    return "\n".join(lines)


def voa(meta, paras, rnd):
    # No title, no date line: the date must come from the text ("Kamis (28/3)").
    wd, d, m, y, t = date_words(unq(meta["date"]))
    mnum = MONTHS.index(m) + 1
    first = paras[0].rstrip(".") + f", kata pejabat, {wd} ({d}/{mnum})."
    lines = [first]
    rest = paras[1:]
    for i, p in enumerate(rest):
        if i == 0 and len(rest) > 1:
            lines.append("BACA JUGA: Berita Terkait Lainnya" + p)
        else:
            lines.append(p)
    lines[-1] += " [uh/ab]"
    return "\n".join(lines), first


def render(meta, body, rnd):
    paras = paragraphs(body)
    style = rnd.choice(["kontan", "tempo", "voa"])
    if style == "kontan":
        return kontan(meta, paras, rnd), None, style
    if style == "tempo":
        return tempo(meta, paras, rnd), None, style
    text, first = voa(meta, paras, rnd)
    return text, first, style


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    rnd = random.Random(7)
    os.makedirs(os.path.join(out, "gold"), exist_ok=True)
    reports = os.path.join(corpus, "content", "reports")
    for name in sorted(os.listdir(reports)):
        meta, body = parse(os.path.join(reports, name))
        text, first, style = render(meta, body, rnd)
        stem = name[:-3]
        with open(os.path.join(out, stem + ".txt"), "w", encoding="utf-8") as f:
            f.write(text)
        # What a careful editor would make of the page: the same report, with the page's
        # outlet and the paragraphs as the page shows them.
        paras = paragraphs(body)
        if first:
            paras[0] = first
        outlet = {"kontan": "Kontan", "tempo": "Tempo", "voa": "null"}[style]
        gold = [f"style: {style}", f"title: {meta['title']}", f"date: {meta['date'][:10]}", f"outlet: {outlet}"]
        with open(os.path.join(out, "gold", stem + ".md"), "w", encoding="utf-8") as f:
            f.write("---\n" + "\n".join(gold) + "\n---\n\n" + "\n\n".join(paras) + "\n")


if __name__ == "__main__":
    main()
