using System.Globalization;
using MinRnn.Tasks;

namespace MinRnn.Tests.Tasks;

/// <summary>Series CSVs for the forecast tests: a header "t,y,x", then rows t = 0 … N − 1 with y the given values and x = t.</summary>
public static class SeriesFiles
{
    public static string Write(TempFolder folder, IEnumerable<double> y, string file = "series.csv")
    {
        var path = folder[file];
        File.WriteAllLines(path, ["t,y,x", .. y.Select((v, t) => string.Create(CultureInfo.InvariantCulture, $"{t},{v:R},{t}"))]);
        return path;
    }

    /// <summary>sin(2πt/12) and, with noise > 0, a seeded uniform noise of that amplitude.</summary>
    public static double[] Sine(int rows, double noise = 0, int seed = 1)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, rows).Select(t => Math.Sin(2 * Math.PI * t / 12) + noise * (2 * random.NextDouble() - 1))];
    }

    /// <summary>The forecast task over a file, its options as the command line gives them.</summary>
    public static Forecast Task(string path, int seqLen, int horizon, params (string Option, string Value)[] options) =>
        (Forecast)new Forecast().WithFiles(new TaskFiles(path, Options: new Dictionary<string, string>(
            [new("--target", "y"), new("--horizon", horizon.ToString(CultureInfo.InvariantCulture)),
             new("--seq-len", seqLen.ToString(CultureInfo.InvariantCulture)), .. options.Select(o => new KeyValuePair<string, string>(o.Option, o.Value))])));
}
