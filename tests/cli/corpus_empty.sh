#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# an empty corpus
. "$CLI/common.sh"
need_cmd "corpus info"
: > empty.pages
exec "$ZPB" corpus info empty.pages
