#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# --sizes-only writes nothing the checker could check
. "$CLI/common.sh"
mktrace t.trace 'a 1 100'
exec "$ZPB" replay --trace t.trace --alloc zbud --sizes-only --verify
