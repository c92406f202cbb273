#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Three unload/load cycles of every module under netlink traffic and
# device reads (make fuzz runs 100).
exec "$(dirname "$0")/../../fuzz/loadunload.sh" 3
