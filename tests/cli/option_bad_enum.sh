#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a value that is not one of the choices
. "$CLI/common.sh"
mktrace t.trace 'a 1 100'
exec "$ZPB" replay --trace t.trace --alloc zbud --format xml
