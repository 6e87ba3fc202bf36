using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace MinRnn.Scans;

/// <summary>How the CPU scan kernels walk (B, T, H) memory: one work item per (batch row, block of channels),
/// each running through time in order; items on threads when the tensor is large enough to pay for them.</summary>
internal static unsafe class RowBlocks
{
    /// <summary>Channels per work item: keeps a few rows of a step in L1.</summary>
    public const int Block = 256;

    /// <summary>body(row, first channel, channel count) for every item of `block` channels; at most torch's thread count
    /// at once. `work` per (row, step, channel) counts toward the size that pays for threads (Mamba's state size N).</summary>
    public static void ForEach(int batch, int steps, int width, Action<int, int, int> body, int block = Block, int work = 1)
    {
        var blocks = (width + block - 1) / block;
        var items = batch * blocks;
        void Run(int i) { var (row, k) = Math.DivRem(i, blocks); var j0 = k * block; body(row, j0, Math.Min(block, width - j0)); }
        var threads = Math.Min(items, get_num_threads());
        if (threads <= 1 || (long)batch * steps * width * work < 16_384)
            for (var i = 0; i < items; i++) Run(i);
        else
            Parallel.For(0, items, new ParallelOptions { MaxDegreeOfParallelism = threads }, Run);
    }

    /// <summary>Address of a contiguous CPU tensor's first element (its memory is native, it does not move).</summary>
    public static nint Address(Tensor t) => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));

    /// <summary>`length` elements at element `offset` from `address`.</summary>
    public static Span<T> At<T>(nint address, long offset, int length) where T : unmanaged => new((T*)address + offset, length);

    /// <summary>The tensor as contiguous CPU memory of the working dtype (itself when it already is).</summary>
    public static Tensor Prepare(Tensor t, ScalarType work) =>
        t.dtype == work && t.device_type == TorchSharp.DeviceType.CPU && t.is_contiguous() ? t : t.detach().to(work, CPU).contiguous();
}
