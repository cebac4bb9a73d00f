#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a trace that does not exist
. "$CLI/common.sh"
exec "$ZPB" replay --trace missing.trace --alloc zbud --trajectory out.traj
