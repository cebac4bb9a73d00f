#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# compare: --base-alloc without --new-alloc
. "$CLI/common.sh"
need_cmd compare
mkdir base new
exec "$ZPB" compare base new --base-alloc zbud
