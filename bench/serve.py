#!/usr/bin/env python3
"""Benchmark of `dossier serve` on a synthetic dossier: start-up to the first page, and the time
from saving one report to the reload event a connected browser receives (text edits,
title edits, and text edits that add a name), measured over loopback.

    python3 ../shared/bench/gen_corpus.py --reports 10000 --format dossier --out /dev/shm/c10k
    cargo build --release && python3 bench/serve.py /dev/shm/c10k
"""
import os, socket, subprocess, sys, time, urllib.request

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
    sock.settimeout(30)
    stream = sock.makefile("rb")
    while stream.readline().strip():
        pass
    path = os.path.join(root, "content/reports", sorted(os.listdir(os.path.join(root, "content/reports")))[100])
    original = open(path, encoding="utf-8").read()

    def timed(text):
        start = time.time()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        while not stream.readline().startswith(b"event: reload"):
            pass
        took = time.time() - start
        time.sleep(0.4)  # let a second event of the same save pass
        sock.setblocking(False)
        try:
            while sock.recv(65536):
                pass
        except (BlockingIOError, OSError):
            pass
        sock.setblocking(True)
        sock.settimeout(30)
        return took

    body = [timed(original + f"\nParagraf {i}.\n") for i in range(5)]
    title = [timed(original.replace("title: ", f"title: Edit {i} ", 1)) for i in range(5)]
    # A name the report did not write: entities are analysed again over every report.
    names = [timed(original + f"\nHadir pula Vasily Nebenzya{'k' * i}.\n") for i in range(5)]
    open(path, "w", encoding="utf-8").write(original)
    print("save -> reload, text edit (s): " + " ".join(f"{x:.3f}" for x in body))
    print("save -> reload, title edit (s): " + " ".join(f"{x:.3f}" for x in title))
    print("save -> reload, text edit adding a name (s): " + " ".join(f"{x:.3f}" for x in names))
    print("(each includes the watcher's 80 ms debounce)")
finally:
    server.terminate()
    server.wait()
    log.seek(0)
    rebuilt = [l.strip() for l in log if l.startswith("Rebuilt")]
    print("server side: " + "; ".join(rebuilt))
