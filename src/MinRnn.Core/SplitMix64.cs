namespace MinRnn;

/// <summary>
/// SplitMix64 (Steele, Lea &amp; Flood 2014; the seeding generator of xoshiro): a tiny, fully specified generator,
/// so tasks, seeds and bootstraps are reproducible from their seed on any runtime and can be replayed outside .NET.
/// The one copy: MinRnn.Analysis compiles this file too (it stays free of TorchSharp, so it cannot reference Core).
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The first output of the generator seeded with x: a 64-bit mixing function.</summary>
    public static ulong Mix(ulong x) => new SplitMix64(x).Next();

    /// <summary>An index in [0, n): the high word of next · n (Lemire's multiply-shift; bias below n / 2⁶⁴).</summary>
    public int NextIndex(int n) => (int)Math.BigMul(Next(), (ulong)n, out _);
}
