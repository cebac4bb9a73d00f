#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a folder given as the corpus
. "$CLI/common.sh"
need_cmd "corpus info"
mkdir pages
exec "$ZPB" corpus info pages
