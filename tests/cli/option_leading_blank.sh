#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a number with a leading blank: ' -1' was read as 2^64 - 1 (strtoull skips
# blanks and wraps); refused as not a number (hostile pass, issue 12)
. "$CLI/common.sh"
page > c.pages
exec "$ZPB" scale --corpus c.pages --seed ' -1'
