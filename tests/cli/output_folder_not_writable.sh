#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a trajectory into a folder the user cannot write (run as nobody when root)
. "$CLI/common.sh"
mktrace t.trace 'a 1 100'
mkdir ro
chmod 555 ro
chmod 644 t.trace
as_nobody "$ZPB" replay --trace t.trace --alloc zbud --trajectory ro/out.traj
