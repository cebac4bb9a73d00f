#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# compare needs BASE and NEW
. "$CLI/common.sh"
need_cmd compare
exec "$ZPB" compare results
