#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The quick fault-injection pass (one probability, fewer fail-nth
# requests); skipped in the fast flavour, which has no fault injection.
exec "$(dirname "$0")/../../fuzz/faultinject.sh" --quick
