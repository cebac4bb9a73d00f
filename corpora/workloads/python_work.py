# SPDX-License-Identifier: GPL-2.0-only
# python_work.py FILELIST - a Python heap of dicts, strings and JSON built from
# fixed input files (the list on argv[1], one path a line), deterministic with
# PYTHONHASHSEED=0 and random.seed(42).  Prints READY when warm, then sleeps.
import json
import random
import sys
import time

random.seed(42)
with open(sys.argv[1], encoding="utf-8") as f:
    paths = [line.rstrip("\n") for line in f if line.strip()]

texts = {}
words = {}
lines = []
for p in paths:
    with open(p, encoding="utf-8", errors="replace") as f:
        s = f.read()
    texts[p.rsplit("/", 1)[-1] + ":" + str(len(texts))] = s
    for line in s.splitlines():
        lines.append(line.strip())
        for w in line.split():
            words[w] = words.get(w, 0) + 1

vocab = sorted(words)
records = []
for i in range(150000):
    records.append({
        "id": i,
        "name": random.choice(vocab),
        "tags": random.sample(vocab, 3),
        "score": round(random.random() * 1000, 3),
        "line": random.choice(lines),
        "flags": [random.random() < 0.5 for _ in range(4)],
    })
index = {}
for r in records:
    index.setdefault(r["name"][:3], []).append(r["id"])
blob = json.dumps(records[:60000])
parsed = json.loads(blob)
counts = sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[:20000]
sets = [frozenset(r["tags"]) for r in records[:50000]]
print("READY", flush=True)
time.sleep(3600)
