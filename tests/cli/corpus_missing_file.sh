#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a corpus that does not exist
. "$CLI/common.sh"
need_cmd "corpus info"
exec "$ZPB" corpus info missing.pages
