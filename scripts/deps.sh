#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install, idempotently, everything the build, the VM rig and the tests need.
set -euo pipefail

pkgs=(build-essential make gcc bc bison flex libelf-dev libssl-dev dwarves
      kmod cpio busybox-static qemu-system-x86 xz-utils zstd
      liburing-dev libaio-dev pkg-config sparse gnuplot-nox
      dkms man-db groff-base
      plocate qemu-utils
      perl                      # TAP::Parser: scripts/ktap-check.sh
      linux-image-amd64 linux-headers-amd64 linux-source-6.1)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done

# The 6.12 kernel lane: Debian 12 ships it as linux-image-6.12.*+deb12-amd64.
have612=$(dpkg-query -W -f='${Package} ${Status}\n' 'linux-image-6.12*' 2>/dev/null |
	  grep -c 'ok installed' || true)

if [ ${#missing[@]} -gt 0 ] || [ "$have612" = 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	if [ "$have612" = 0 ]; then
		img=$(apt-cache search --names-only '^linux-image-6\.12\..*\+deb12-amd64$' |
		      awk '{print $1}' | sort -V | tail -n 1)
		[ -n "$img" ] || { echo "deps: no linux-image-6.12 package found" >&2; exit 1; }
		missing+=("$img" "${img/linux-image/linux-headers}")
	fi
	apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
