#!/usr/bin/env bash
# Checks and installs what Harness needs outside NuGet. Idempotent: a second call only checks.
# - the .NET SDK (never installed here: we say what to install)
# - libstdc++ with GLIBCXX_3.4.32 (TorchSharp's libtorch needs the GCC 13 runtime).
#   On Debian 12 (bookworm) it comes from the trixie suite, pinned at priority 100 so nothing else moves.
set -euo pipefail

say() { printf '[harness setup] %s\n' "$*" >&2; }

if ! command -v dotnet >/dev/null 2>&1; then
  say "the .NET SDK 10 is missing: install it (https://learn.microsoft.com/dotnet/core/install/linux), then rerun."
  exit 2
fi

find_libstdcxx() {
  local candidate
  for candidate in /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6 /usr/lib/libstdc++.so.6 \
                   /usr/lib/aarch64-linux-gnu/libstdc++.so.6; do
    [ -e "$candidate" ] && { echo "$candidate"; return 0; }
  done
  ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 /{print $NF; exit}'
}

has_glibcxx_3432() {
  local lib
  lib=$(find_libstdcxx)
  [ -n "$lib" ] && grep -qa 'GLIBCXX_3\.4\.32' "$lib"
}

if has_glibcxx_3432; then
  exit 0
fi

os_id=""; os_version=""
if [ -r /etc/os-release ]; then
  # shellcheck disable=SC1091
  os_id=$(. /etc/os-release && echo "${ID:-}")
  os_version=$(. /etc/os-release && echo "${VERSION_ID:-}")
fi

if [ "$os_id" != "debian" ] || [ "$os_version" != "12" ]; then
  say "TorchSharp needs libstdc++ with GLIBCXX_3.4.32 (the GCC 13 runtime or newer); this system's lacks it."
  say "Install a newer libstdc++6 with your package manager (GCC >= 13 runtime), then rerun."
  exit 2
fi

if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    say "installing libstdc++ from Debian trixie needs root: rerun as root or install sudo."; exit 2
  fi
else
  SUDO=""
fi

# Reuse the mirror this machine already uses for Debian.
mirror=$(grep -hoE '^(URIs:|deb) *[^ ]+/debian/?( |$)' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
         | awk '{print $2}' | head -n1 || true)
[ -n "$mirror" ] || { say "could not find the Debian mirror in /etc/apt sources; add one and rerun."; exit 2; }

say "libstdc++ lacks GLIBCXX_3.4.32 (needed by TorchSharp). Installing libstdc++6 from Debian trixie:"
say "  adding /etc/apt/sources.list.d/harness-trixie.list ($mirror trixie main)"
say "  pinning trixie at priority 100 in /etc/apt/preferences.d/harness-trixie (nothing else is upgraded)"
echo "deb $mirror trixie main" | $SUDO tee /etc/apt/sources.list.d/harness-trixie.list >/dev/null
printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' | $SUDO tee /etc/apt/preferences.d/harness-trixie >/dev/null
say "  apt-get update"
$SUDO apt-get update -qq
say "  apt-get install -t trixie libstdc++6 (also upgrades libc6 and the GCC runtime libraries)"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -t trixie libstdc++6 >/dev/null
if has_glibcxx_3432; then
  say "libstdc++ now provides GLIBCXX_3.4.32."
else
  say "libstdc++6 from trixie was installed but GLIBCXX_3.4.32 is still missing; check apt's output above."
  exit 2
fi
