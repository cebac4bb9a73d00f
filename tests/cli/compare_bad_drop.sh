#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# compare: a gate percentage that is not a number
. "$CLI/common.sh"
need_cmd compare
mkdir base new
exec "$ZPB" compare base new --max-density-drop 1%
