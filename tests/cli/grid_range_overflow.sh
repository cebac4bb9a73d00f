#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a brace range over the whole 64-bit range: no signed overflow (UBSan), one line (issue 12)
. "$CLI/common.sh"
need_cmd sweep
page > c.pages
exec "$ZPB" sweep --corpus c.pages --alloc "zsmalloc:chain={-9223372036854775808..9223372036854775807}" --out out
