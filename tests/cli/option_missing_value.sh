#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# an option without its value
. "$CLI/common.sh"
exec "$ZPB" corpus sample --from
