#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# gen-trace.py - seeded size traces with churn, for checking the ports against
# the kernel oracles.  The same seed gives the same trace on any Python 3
# (the generator is splitmix64, written out here, not Python's random).
#
#	gen-trace.py [--seed N] [--objects N] [--page 4096|16384|65536] > trace
#
# Phases (N = --objects): fill N objects; free a random half; refill N/2;
# compact; interleaved churn (N/4 rounds of free-one/store-one); free a random
# third; compact; free a random quarter of the rest; refill N/4.  Total about
# 3.4 N operations.  Sizes mimic lz4 output on real pages: mostly 100..4000
# bytes, a few tiny ones, and about 4% above 3968 (zbud refuses those; z3fold
# stores them on headless pages) including some 4096.  With --page P the
# sizes are scaled by P/4096 (the same shares: about 4% above P - 128 P/4096,
# zbud's limit, some of them P) and the trace declares '# page_size P'.
import argparse
import sys

MASK = (1 << 64) - 1


class Rng:
    def __init__(self, seed):
        self.s = seed & MASK

    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & MASK
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        return (self.next() * n) >> 64

    def between(self, lo, hi):
        return lo + self.below(hi - lo + 1)


def size(rng, page):
    f = page // 4096
    p = rng.below(1000)
    if p < 30:
        return rng.between(20, 99 * f)
    if p < 330:
        return rng.between(100 * f, 1000 * f)
    if p < 730:
        return rng.between(1001 * f, 2500 * f)
    if p < 960:
        return rng.between(2501 * f, page - 128 * f)
    if p < 990:
        return rng.between(page - 128 * f + 1, page - 1)
    return page


def main():
    ap = argparse.ArgumentParser(description="seeded size trace with churn")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--objects", type=int, default=6000)
    ap.add_argument("--page", type=int, default=4096, choices=(4096, 16384, 65536))
    args = ap.parse_args()
    rng = Rng(args.seed)
    out = sys.stdout
    live = []
    next_id = [0]
    count = [0]

    def store():
        i = next_id[0]
        next_id[0] += 1
        out.write("a %d %d\n" % (i, size(rng, args.page)))
        live.append(i)
        count[0] += 1

    def free_random(n):
        for _ in range(min(n, len(live))):
            k = rng.below(len(live))
            live[k], live[-1] = live[-1], live[k]
            out.write("f %d\n" % live.pop())
            count[0] += 1

    def compact():
        out.write("c\n")
        count[0] += 1

    n = args.objects
    out.write("# zpoolbench-trace v1\n")
    if args.page != 4096:
        out.write("# page_size %d\n" % args.page)
        out.write("# gen-trace.py --seed %d --objects %d --page %d\n" % (args.seed, n, args.page))
    else:
        out.write("# gen-trace.py --seed %d --objects %d\n" % (args.seed, n))
    for _ in range(n):
        store()
    free_random(n // 2)
    for _ in range(n // 2):
        store()
    compact()
    for _ in range(n // 4):
        free_random(1)
        store()
    free_random(len(live) // 3)
    compact()
    free_random(len(live) // 4)
    for _ in range(n // 4):
        store()
    out.write("# %d operations\n" % count[0])


if __name__ == "__main__":
    main()
