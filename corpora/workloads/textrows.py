# SPDX-License-Identifier: GPL-2.0-only
# textrows.py FORMAT FILELIST [ROUNDS] - the lines of fixed input files as rows for a
# database: FORMAT sql (INSERTs for sqlite3), redis (inline commands for
# redis-cli --pipe), copy (tab-separated for PostgreSQL COPY).  Rows are
# (file number, line number, text); deterministic.  ROUNDS > 1 repeats the
# rows under new keys, round r with the words of each line rotated by r.
import sys

fmt, listfile = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 1
with open(listfile, encoding="utf-8") as f:
    paths = [line.rstrip("\n") for line in f if line.strip()]
out = sys.stdout
if fmt == "sql":
    out.write("CREATE TABLE lines(file INTEGER, n INTEGER, text TEXT);\nBEGIN;\n")

def rows():
    for r in range(rounds):
        for fi, p in enumerate(paths):
            with open(p, encoding="utf-8", errors="replace") as f:
                for n, line in enumerate(f):
                    t = line.rstrip("\n")
                    if not t.strip():
                        continue
                    if r:
                        w = t.split(" ")
                        k = r % len(w)
                        t = " ".join(w[k:] + w[:k])
                    yield fi + r * len(paths), n, t


for fi, n, t in rows():
    if fmt == "sql":
        out.write("INSERT INTO lines VALUES(%d,%d,'%s');\n" % (fi, n, t.replace("'", "''")))
    elif fmt == "redis":
        # RESP, so any byte in the text is safe
        parts = [b"SET", b"l:%d:%d" % (fi, n), t.encode("utf-8", "replace")]
        if n % 4 == 0:
            parts = [b"HSET", b"f:%d" % fi, b"%d" % n, t.encode("utf-8", "replace")]
        elif n % 4 == 1:
            parts = [b"RPUSH", b"list:%d" % (fi % 64), t.encode("utf-8", "replace")]
        msg = b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(x), x) for x in parts)
        out.flush()
        sys.stdout.buffer.write(msg)
    else:
        t = t.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r")
        out.write("%d\t%d\t%s\n" % (fi, n, t))
if fmt == "sql":
    out.write("COMMIT;\n")
