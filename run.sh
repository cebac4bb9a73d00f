#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run.sh [CORPUS...] - the main job.  Builds what is missing, then runs.
# (Until the benchmark driver lands, this replays the bundled example trace
# through every allocator.)
set -eu
cd "$(dirname "$0")"
make -s all
for spec in $(build/zpoolbench list | awk 'NR>2 && /^[a-z]/ {print $1}'); do
	echo "== $spec"
	build/zpoolbench replay --trace corpora/example.trace --alloc "$spec"
done
