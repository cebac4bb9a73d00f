#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# /dev/zero as a trace: refused at once, not read until memory runs out (issue 12)
. "$CLI/common.sh"
exec "$ZPB" replay --trace /dev/zero --alloc zbud
