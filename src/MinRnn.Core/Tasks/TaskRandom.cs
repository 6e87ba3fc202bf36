namespace MinRnn.Tasks;

/// <summary>A small seeded generator (SplitMix64) for the tasks that build their rows element by element: the same
/// 64-bit seed gives the same numbers on every machine and .NET version.</summary>
public sealed class TaskRandom(long seed)
{
    private SplitMix64 generator = new((ulong)seed);

    public ulong NextULong() => generator.Next();

    /// <summary>Uniform integer in [0, n) (Lemire's unbiased multiply-shift with rejection).</summary>
    public int Next(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "must be > 0");
        var bound = (ulong)n;
        var threshold = (0UL - bound) % bound;
        while (true)
        {
            var r = NextULong();
            var product = Math.BigMul(r, bound, out var low);
            if (low >= threshold) return (int)product;
        }
    }

    /// <summary>Uniform integer in [min, max].</summary>
    public int Between(int min, int max) => min + Next(max - min + 1);

    /// <summary>k distinct values of [0, n), in random order (partial Fisher–Yates).</summary>
    public int[] Distinct(int n, int k)
    {
        var pool = Enumerable.Range(0, n).ToArray();
        for (var i = 0; i < k; i++)
        {
            var j = i + Next(n - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool[..k];
    }
}
