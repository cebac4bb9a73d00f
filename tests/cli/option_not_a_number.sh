#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a number that is not one
. "$CLI/common.sh"
page > c.pages
exec "$ZPB" run --corpus c.pages --alloc zbud --objects abc --out res
