#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a manifest with a repeated key: refused (jansson, issue 12/13)
. "$CLI/common.sh"
need_cmd "corpus info"
page > c.pages
echo "{\"pages\": 1, \"pages\": 2}" > c.json
exec "$ZPB" corpus info c.pages
