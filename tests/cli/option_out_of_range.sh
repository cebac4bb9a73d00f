#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a number out of range
. "$CLI/common.sh"
page > c.pages
exec "$ZPB" scale --corpus c.pages --repeat 0
