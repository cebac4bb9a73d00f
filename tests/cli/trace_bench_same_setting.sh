#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# trace bench: one setting spelled two ways gave two rows (hostile pass,
# issue 12); refused as run refuses it
. "$CLI/common.sh"
need_cmd "trace bench"
printf 'a 1 100\nf 1\n' > t.trace
exec "$ZPB" trace bench --trace t.trace --alloc zbud,zbud:lru=1
