# SPDX-License-Identifier: GPL-2.0-only
# python-dicts.py - a Python workload for corpora/swap-capture.sh: builds
# about 200 MB of dicts, strings, lists and floats (records of a made-up
# inventory), then reads the newest tenth.  Deterministic given PYTHONHASHSEED=0.
# Read from stdin by the builder (python3 -I -), so no path of it lands in memory.
import gc
import os
import random
import sys

# the cyclic collector walks every container and would pull each swapped
# page straight back in; records hold no cycles
gc.disable()

random.seed(42)
WORDS = ("alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike "
         "november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee "
         "zulu red green blue amber violet steel copper silver gold iron zinc tin").split()

def name(n):
    return " ".join(random.choice(WORDS) for _ in range(n))

records = {}
for i in range(300000):
    records["item-%07d" % i] = {
        "id": i,
        "name": name(random.randint(2, 6)),
        "tags": [random.choice(WORDS) for _ in range(random.randint(1, 5))],
        "price": round(random.uniform(0.5, 999.0), 2),
        "stock": random.randint(0, 10000),
        "notes": name(random.randint(0, 20)) if random.random() < 0.5 else "",
    }
# one pass over the newest tenth only: most of the heap stays swapped out
total = 0.0
for i in range(270000, 300000):
    r = records["item-%07d" % i]
    total += r["price"] * (r["stock"] % 7) + len(r["tags"])
print("records %d checksum %.2f" % (len(records), total))
# skip the interpreter's teardown, which would touch (swap in) every object
sys.stdout.flush()
os._exit(0)
