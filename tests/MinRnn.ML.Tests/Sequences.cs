using Microsoft.ML.Data;

namespace MinRnn.ML.Tests;

/// <summary>Rows the tests feed: one vector column of token ids per input type.</summary>
public sealed class LongRow { [VectorType] public long[] Tokens { get; set; } = []; }
public sealed class IntRow { [VectorType] public int[] Tokens { get; set; } = []; }
public sealed class UIntRow { [VectorType] public uint[] Tokens { get; set; } = []; }
public sealed class KeyRow { [VectorType, KeyType(16)] public uint[] Tokens { get; set; } = []; }
public sealed class FloatRow { [VectorType] public float[] Tokens { get; set; } = []; }
public sealed class ScalarRow { public long Tokens { get; set; } }

/// <summary>Everything the component can output, read back from an IDataView.</summary>
public sealed class AllOutputs
{
    public long[] Predictions { get; set; } = [];
    public float[] Logits { get; set; } = [];
    public float[] Last { get; set; } = [];
}

internal static class Sequences
{
    /// <summary>Selective-copying-like rows of different lengths: noise with a few data tokens, then markers.</summary>
    public static long[][] Mixed(int count, int vocab, int seed, int minLength = 1, int maxLength = 90)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var length = random.Next(minLength, maxLength + 1);
            var row = new long[length];
            for (var t = 0; t < length; t++)
                row[t] = random.NextDouble() < 0.1 ? random.Next(1, vocab - 1) : random.NextDouble() < 0.05 ? 0 : vocab - 1;
            return row;
        }).ToArray();
    }

    public static LongRow[] Rows(long[][] sequences) => sequences.Select(s => new LongRow { Tokens = s }).ToArray();
}
