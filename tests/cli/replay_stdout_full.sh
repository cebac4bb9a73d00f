#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a write error on stdout (JSON) is exit status 1
. "$CLI/common.sh"
mktrace t.trace 'a 1 100'
exec "$ZPB" replay --trace t.trace --alloc zbud --format json > /dev/full
