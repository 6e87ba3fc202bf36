using MinRnn.Cells;
using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Bench;

/// <summary>This machine's ceilings, measured in-process on the benchmark's device (the CPU or the GPU): float32
/// matrix-product rate (GFLOP/s) on the shapes a cell's projections use, and memory bandwidth (GB/s) from a large copy.</summary>
public sealed record MachineFloor(double MatmulGflops, double BandwidthGBs)
{
    /// <summary>The fused scans' SIMD register width in bits (MINRNN_SIMD=256|512, else 512 where AVX-512 is native).</summary>
    public int SimdBits { get; init; } = Scans.SimdLanes.Bits;

    public static MachineFloor Measure(long rows, long dim, long hidden, DeviceType deviceType = DeviceType.CPU)
    {
        using var scope = NewDisposeScope();
        var (device, synchronize) = (new Device(deviceType), BenchDevices.Synchronize(deviceType));
        // the best rate over a cell's projection shapes and a large square product: the ceiling, not a typical case
        (long M, long K, long N)[] shapes = [(rows, dim, 4 * hidden), (rows, 4 * hidden, dim), (4 * hidden, rows, dim), (2048, 2048, 2048)];
        var gflops = shapes.Max(s =>
        {
            var (x, w) = (randn(s.M, s.K, device: device), randn(s.K, s.N, device: device));
            return 2.0 * s.M * s.K * s.N / Best(() => x.matmul(w).Dispose(), synchronize) / 1e9;
        });

        var src = randn(64L << 20, device: device);                    // 256 MB: far beyond the caches
        var dst = empty_like(src);
        var bytes = 2.0 * src.numel() * 4;                              // read + write
        var gbs = bytes / Best(() => dst.copy_(src), synchronize) / 1e9;
        return new MachineFloor(gflops, gbs);
    }

    /// <summary>The fastest of `times` runs after one untimed, in seconds; `synchronize` (CUDA) ends each before its timer.</summary>
    private static double Best(Action run, Action? synchronize, int times = 7)
    {
        run();
        synchronize?.Invoke();
        var best = double.MaxValue;
        for (var i = 0; i < times; i++)
        {
            var clock = Stopwatch.StartNew();
            run();
            synchronize?.Invoke();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }

    /// <summary>The work a forward+backward step of one layer (d → inner h → d) over B sequences of length T must at least do:
    /// FLOPs of its matrix products and of its sequence mixing (CellKind.MixingMacs: Mamba's scan over the h·N states,
    /// attention's causal QKᵀ and AV), forward 2 per multiply–add, backward twice that; and bytes: x, y, ∂y, ∂x (d each)
    /// and the hidden sequence written forward and read backward (h each), per token, float32. Mamba's states (B·T·h·N)
    /// and attention's scores (B·heads·T²) are not among the bytes: a fused kernel keeps them in cache (docs/BENCHMARKS.md,
    /// "Floor").</summary>
    public static (double Flops, double Bytes) TrainWork(string model, long batch, long seqLen, long dim, long hidden)
    {
        var kind = CellKinds.Get(model);
        var macsPerToken = kind.Projections(dim, hidden).Sum(p => p.In * p.Out) + (kind.MixingMacs?.Invoke(seqLen, hidden, CellOptions.DefaultStateSize) ?? 0);
        var tokens = batch * seqLen;
        return (6.0 * tokens * macsPerToken, 4.0 * tokens * (4 * dim + 2 * hidden));
    }

    /// <summary>The fixed-shape matrix products of a training step (TrainWork's FLOPs without the sequence mixing) timed alone with torch.mm on this machine,
    /// best of 5: per projection x·Wᵀ forward and ∂y·W, ∂yᵀ·x backward; GRU/LSTM's recurrent products batched over all
    /// steps as if they were independent. An implementation that leaves its products to the same BLAS cannot be faster.</summary>
    public static double MatmulMs(string model, long tokens, long dim, long hidden, DeviceType deviceType = DeviceType.CPU)
    {
        using var scope = NewDisposeScope();
        var device = new Device(deviceType);
        var operands = CellKinds.Get(model).Projections(dim, hidden)
            .SelectMany(p => new (long M, long K, long N)[] { (tokens, p.In, p.Out), (tokens, p.Out, p.In), (p.Out, tokens, p.In) })
            .Select(s => (randn(s.M, s.K, device: device), randn(s.K, s.N, device: device))).ToList();
        return 1e3 * Best(() => { foreach (var (a, b) in operands) a.mm(b).Dispose(); }, BenchDevices.Synchronize(deviceType), 5);
    }

    public double FloorMs((double Flops, double Bytes) work) =>
        1e3 * Math.Max(work.Flops / (MatmulGflops * 1e9), work.Bytes / (BandwidthGBs * 1e9));
}
