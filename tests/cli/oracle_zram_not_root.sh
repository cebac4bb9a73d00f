#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# the zram oracle run by an unprivileged user
. "$CLI/common.sh"
need_cmd "oracle zram"
page > c.pages
chmod 644 c.pages
as_nobody "$ZPB" oracle zram --corpus c.pages --trace out.trace --trajectory out.traj
