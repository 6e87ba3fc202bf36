#!/usr/bin/env bash
# Make TorchSharp's libLibTorchSharp.so load on systems whose libstdc++ lacks GLIBCXX_3.4.32
# (Debian 12, Ubuntu 22.04). Run after every build/publish on the output folder given as $1:
#   1. if the system libstdc++ already has GLIBCXX_3.4.32, do nothing;
#   2. build libminrnn_glibcxx_shim.so (defines std::ios_base_library_init) next to the native library;
#   3. mark the library's GLIBCXX_3.4.32 requirement weak (an in-place edit of one flag).
# At run time MinRnn.Runtime.GlibcxxShim loads the shim with dlopen(RTLD_NOW | RTLD_GLOBAL) before TorchSharp
# loads its native library, so the symbol resolves from the shim; no ELF dependency is added (no patchelf).
# Needs g++ and python3 (both in Debian's and the .NET SDK images' base packages).
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

for tool in g++ python3; do
  command -v "$tool" >/dev/null || { echo "error MINRNN001: '$tool' is needed to patch libLibTorchSharp.so for this system's old libstdc++ (apt-get install -y g++ python3)" >&2; exit 1; }
done

for lib in "${libs[@]}"; do
  dir=$(dirname "$lib")
  if [ ! -f "$dir/$shim" ] || [ "$here/glibcxx-shim.cpp" -nt "$dir/$shim" ]; then
    g++ -shared -fPIC -O2 -o "$dir/$shim" "$here/glibcxx-shim.cpp"
  fi
  python3 "$here/weaken-version.py" "$lib" "$version"
done
