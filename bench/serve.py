#!/usr/bin/env python3
"""Benchmark of `dossier serve` on a synthetic dossier: start-up to the first page, and the time
from saving one report to the reload event a connected browser receives (text edits,
title edits, and text edits that add a name), measured over loopback.

    python3 ../shared/bench/gen_corpus.py --reports 10000 --format dossier --out /dev/shm/c10k
    cargo build --release && python3 bench/serve.py /dev/shm/c10k
"""
import os, select, socket, subprocess, sys, time, urllib.request

root = sys.argv[1] if len(sys.argv) > 1 else "/dev/shm/c10k"
port = 1119
t0 = time.time()
log = open("/dev/shm/dossier-serve-bench.log" if os.path.isdir("/dev/shm") else "serve-bench.log", "w+")
server = subprocess.Popen(["target/release/dossier", "serve", "--root", root, "--port", str(port)],
                          stdout=log, stderr=subprocess.STDOUT)
try:
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/").read()
            break
        except Exception:
            time.sleep(0.02)
    print(f"start-up to first page: {time.time() - t0:.2f} s", flush=True)
    time.sleep(0.5)
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(b"GET /__dossier/events HTTP/1.1\r\nHost: x\r\n\r\n")
    pending = [b""]  # what was received of the event stream past its last full line

    def reloads(until):
        """The times at which reload events arrive, until time `until`."""
        seen = []
        while time.time() < until:
            ready, _, _ = select.select([sock], [], [], max(0.0, until - time.time()))
            if not ready:
                break
            chunk = sock.recv(65536)
            if not chunk:
                break
            pending[0] += chunk
            *lines, pending[0] = pending[0].split(b"\n")
            seen += [time.time() for line in lines if line.startswith(b"event: reload")]
        return seen

    reloads(time.time() + 0.5)  # the response head
    path = os.path.join(root, "content/reports", sorted(os.listdir(os.path.join(root, "content/reports")))[100])
    original = open(path, encoding="utf-8").read()

    def timed(text):
        """Seconds from the save to the first reload (the edit visible), and to the last one
        within 2 s (an edit that changes names is followed by a second reload for them)."""
        start = time.time()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        seen = reloads(start + 2.0)
        if not seen:
            raise SystemExit("no reload within 2 s of a save")
        return seen[0] - start, seen[-1] - start

    body = [timed(original + f"\nParagraf {i}.\n") for i in range(5)]
    title = [timed(original.replace("title: ", f"title: Edit {i} ", 1)) for i in range(5)]
    # A name the report did not write: entities are analysed again over every report.
    names = [timed(original + f"\nHadir pula Vasily Nebenzya{'k' * i}.\n") for i in range(5)]
    open(path, "w", encoding="utf-8").write(original)
    show = lambda xs: " ".join(f"{a:.3f}" if b == a else f"{a:.3f} (names {b:.3f})" for a, b in xs)
    print("save -> reload, text edit (s): " + show(body))
    print("save -> reload, title edit (s): " + show(title))
    print("save -> reload, text edit adding a name (s): " + show(names))
    print("(each includes the watcher's 80 ms debounce)")
finally:
    server.terminate()
    server.wait()
    log.seek(0)
    rebuilt = [l.strip() for l in log if l.startswith("Rebuilt")]
    print("server side: " + "; ".join(rebuilt))
