#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# -V on a command prints the version
. "$CLI/common.sh"
exec "$ZPB" replay -V
