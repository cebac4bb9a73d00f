#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# trace convert without --to
. "$CLI/common.sh"
mktrace t.trace 'a 1 100'
exec "$ZPB" trace convert --in t.trace --out out.bin
