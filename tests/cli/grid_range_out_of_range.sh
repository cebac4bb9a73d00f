#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a brace range bound beyond 64 bits (issue 12)
. "$CLI/common.sh"
need_cmd sweep
page > c.pages
exec "$ZPB" sweep --corpus c.pages --alloc "zsmalloc:chain={1..99999999999999999999}" --out out
