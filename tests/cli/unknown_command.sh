#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# a command that does not exist
. "$CLI/common.sh"
exec "$ZPB" frobnicate --fast
