#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a binary trace cut short is an error, not a shorter trace
. "$CLI/common.sh"
mktrace t.trace 'a 1 100' 'a 2 200' 'f 1'
"$ZPB" trace convert --in t.trace --out b.bin --to binary > /dev/null || exit 99
head -c $(($(wc -c < b.bin) - 3)) b.bin > cut.bin
exec "$ZPB" trace convert --in cut.bin --out out.txt --to text
