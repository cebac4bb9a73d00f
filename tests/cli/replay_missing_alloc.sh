#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# replay without --alloc
. "$CLI/common.sh"
mktrace t.trace 'a 1 100'
exec "$ZPB" replay --trace t.trace
