using MinRnn.Tasks;

namespace MinRnn.Tests.Tasks;

/// <summary>A character Markov chain of order 1 over "abcd " with its transition table written here: text of a known
/// entropy rate, the independent reference for char-lm's bits per character.</summary>
public static class MarkovText
{
    public const string Alphabet = " abcd";

    /// <summary>P[i][j] = P(next = Alphabet[j] | current = Alphabet[i]); every row sums to 1.</summary>
    public static readonly double[][] Transitions =
    [
        [0.00, 0.40, 0.30, 0.20, 0.10],   // ' '
        [0.10, 0.05, 0.80, 0.05, 0.00],   // a
        [0.30, 0.10, 0.00, 0.50, 0.10],   // b
        [0.20, 0.30, 0.20, 0.00, 0.30],   // c
        [0.60, 0.10, 0.10, 0.20, 0.00],   // d
    ];

    /// <summary>π with π P = π, by power iteration in float64 (the chain is irreducible and aperiodic).</summary>
    public static double[] Stationary()
    {
        var n = Transitions.Length;
        var pi = Enumerable.Repeat(1.0 / n, n).ToArray();
        for (var iteration = 0; iteration < 10_000; iteration++)
            pi = [.. Enumerable.Range(0, n).Select(j => Enumerable.Range(0, n).Sum(i => pi[i] * Transitions[i][j]))];
        return pi;
    }

    /// <summary>H = −Σ_i π_i Σ_j P_ij log2 P_ij, bits per character (Cover &amp; Thomas, Thm 4.2.4).</summary>
    public static double EntropyRate()
    {
        var pi = Stationary();
        return pi.Select((p, i) => p * -Transitions[i].Where(q => q > 0).Sum(q => q * Math.Log2(q))).Sum();
    }

    /// <summary>`length` characters from the chain with a fixed seed, starting at ' '.</summary>
    public static string Generate(int length, long seed)
    {
        var random = new TaskRandom(seed);
        var chars = new char[length];
        var state = 0;
        for (var t = 0; t < length; t++)
        {
            var u = (random.NextULong() >> 11) * (1.0 / (1UL << 53));
            var next = 0;
            for (var cumulative = Transitions[state][0]; cumulative <= u && next < Alphabet.Length - 1; cumulative += Transitions[state][++next]) { }
            chars[t] = Alphabet[state = next];
        }
        return new string(chars);
    }

    /// <summary>A file of the chain's text in the folder.</summary>
    public static string File(TempFolder folder, int length, long seed)
    {
        var path = folder[$"markov-{length}-{seed}.txt"];
        System.IO.File.WriteAllText(path, Generate(length, seed));
        return path;
    }

    /// <summary>A char-lm task over a small Markov text, for the contract tests every task takes.</summary>
    public static CharLm Task(TempFolder folder, int seqLen = 32) => CharLm.FromFiles(File(folder, 4000, seed: 3), seqLen);
}
