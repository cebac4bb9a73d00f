#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# --trajectory naming the input trace is refused (it overwrote the trace)
. "$CLI/common.sh"
mktrace t.trace 'a 1 100'
exec "$ZPB" replay --trace t.trace --alloc zbud --trajectory ./t.trace
