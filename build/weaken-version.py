"""Mark one symbol-version requirement of an ELF shared library as weak (VER_FLG_WEAK).

usage: weaken-version.py FILE VERSION   e.g. libLibTorchSharp.so GLIBCXX_3.4.32
With the flag set, the dynamic loader no longer refuses the library when the named version is missing;
the symbols themselves must still be found (MinRnn's shim provides them). Exit 0 also when already weak.
"""
import struct
import sys

SHT_GNU_VERNEED = 0x6FFFFFFE
VER_FLG_WEAK = 0x2


def main(path, version):
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            sys.exit(f"{path}: not a 64-bit little-endian ELF file")
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
        sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
        for _, sh_type, _, _, offset, _, link, info, _, _ in sections:
            if sh_type != SHT_GNU_VERNEED:
                continue
            strtab = sections[link][4]
            vn = offset
            for _ in range(info):
                _, cnt, _, aux, nxt = struct.unpack_from("<HHIII", data, vn)
                va = vn + aux
                for _ in range(cnt):
                    _, flags, _, name, vnext = struct.unpack_from("<IHHII", data, va)
                    end = data.index(0, strtab + name)
                    if data[strtab + name:end].decode() == version:
                        if flags & VER_FLG_WEAK:
                            return
                        struct.pack_into("<H", data, va + 4, flags | VER_FLG_WEAK)
                        f.seek(0)
                        f.write(data)
                        print(f"MinRnn: patched {path} for {version} (system libstdc++ is older)")
                        return
                    va += vnext
                vn += nxt
    sys.exit(f"{path}: no requirement of version {version}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
