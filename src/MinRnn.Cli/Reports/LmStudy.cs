using System.Globalization;
using MinRnn.Analysis.Compare;

namespace MinRnn.Cli.Reports;

/// <summary>The console half of `minrnn study --suite lm`: the model table (Studies.LmStudyFiles writes the files).</summary>
public static class LmStudy
{
    /// <summary>The console table: model, width, parameters, test_bpc with its interval, bits per character at each context.</summary>
    public static void Print(LmSuiteReport suite)
    {
        Console.WriteLine($"{"model",-12}{"d",6}{"params",10}{"test_bpc",10}{"95% t CI",20}" + string.Concat(suite.Factors.Select(f => $"{f + "×",8}")));
        foreach (var r in suite.Rows)
            Console.WriteLine($"{r.Model,-12}{r.Dim,6}{r.Parameters,10}{F(r.TestBpc),10}{$"[{F(r.TCi[0])}, {F(r.TCi[1])}]",20}" + string.Concat(r.Bpc.Select(b => $"{F(b),8}")));
        Console.WriteLine("bits per character on held-out text (lower is better), mean over seeds; 1×…8×: evaluation context / training context");
    }

    private static string F(double v) => double.IsNaN(v) ? "–" : v.ToString("F3", CultureInfo.InvariantCulture);
}
