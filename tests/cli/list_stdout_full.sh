#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a write error on stdout is exit status 1 with one line (issue 12: exit 0)
. "$CLI/common.sh"
exec "$ZPB" list > /dev/full
