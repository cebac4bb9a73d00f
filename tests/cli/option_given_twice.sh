#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# an option that is not repeatable, given twice
. "$CLI/common.sh"
mktrace t.trace 'a 1 100'
exec "$ZPB" replay --trace t.trace --alloc zbud --alloc z3fold
