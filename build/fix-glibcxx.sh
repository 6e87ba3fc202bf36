#!/usr/bin/env bash
# Make TorchSharp's libLibTorchSharp.so load on systems whose libstdc++ lacks GLIBCXX_3.4.32
# (Debian 12, Ubuntu 22.04). Run after every build/publish on the output folder given as $1:
#   1. if the system libstdc++ already has GLIBCXX_3.4.32, do nothing;
#   2. build libminrnn_glibcxx_shim.so (defines std::ios_base_library_init) next to the native library;
#   3. mark the library's GLIBCXX_3.4.32 requirement weak and add the shim as a DT_NEEDED dependency.
# Needs g++, python3 and patchelf (Debian: apt-get install g++ python3 patchelf).
set -euo pipefail
out=${1:?usage: fix-glibcxx.sh OUTPUT_DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
version=GLIBCXX_3.4.32
shim=libminrnn_glibcxx_shim.so

mapfile -t libs < <(find "$out" -name libLibTorchSharp.so 2>/dev/null)
[ ${#libs[@]} -gt 0 ] || exit 0

stdcxx=$(/sbin/ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')
if [ -n "$stdcxx" ] && grep -q "$version" "$stdcxx"; then
  exit 0
fi

for tool in g++ patchelf python3; do
  command -v "$tool" >/dev/null || { echo "error MINRNN001: '$tool' is needed to patch libLibTorchSharp.so for this system's old libstdc++ (apt-get install -y g++ patchelf python3)" >&2; exit 1; }
done

for lib in "${libs[@]}"; do
  dir=$(dirname "$lib")
  if patchelf --print-needed "$lib" | grep -qx "$shim"; then
    continue
  fi
  g++ -shared -fPIC -O2 -o "$dir/$shim" "$here/glibcxx-shim.cpp"
  python3 "$here/weaken-version.py" "$lib" "$version"
  patchelf --add-needed "$shim" "$lib"
  echo "MinRnn: patched $lib for $version (system libstdc++ is older)"
done
