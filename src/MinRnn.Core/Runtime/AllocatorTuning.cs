using System.Runtime.InteropServices;

namespace MinRnn.Runtime;

/// <summary>Keeps glibc malloc from returning freed tensor memory to the kernel (raises M_MMAP_THRESHOLD and
/// M_TRIM_THRESHOLD to 1 GiB). libtorch's CPU allocator has no cache, so by default every step's large tensors
/// come from fresh mappings and pay a page fault per 4 KiB; on this project's machines that made a 32 MB
/// allocation cost 13 ms and the LSTM baseline twice as slow (docs/BENCHMARKS.md). The CLI applies it at
/// start-up for every command (all models alike); library users may call it before their first tensor.
/// Linux/glibc only; MINRNN_ALLOCATOR=default leaves the allocator as it is.</summary>
public static partial class AllocatorTuning
{
    private const int M_TRIM_THRESHOLD = -1;
    private const int M_MMAP_THRESHOLD = -3;

    /// <summary>True when the thresholds were set.</summary>
    public static bool Apply()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MINRNN_ALLOCATOR") == "default") return false;
        try
        {
            return mallopt(M_MMAP_THRESHOLD, 1 << 30) == 1 && mallopt(M_TRIM_THRESHOLD, 1 << 30) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;                                                   // not glibc (e.g. musl)
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int param, int value);
}
