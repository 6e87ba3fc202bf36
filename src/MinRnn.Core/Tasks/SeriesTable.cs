using System.Globalization;

namespace MinRnn.Tasks;

/// <summary>How a missing value (an empty cell, NA or NaN) of a series is treated: an error naming its line, or the last
/// value before it carried forward.</summary>
public enum MissingValues { Error, Previous }

/// <summary>The columns of a series CSV a forecast reads (docs/FORECAST.md): a header line naming the columns, then one
/// row a time step, comma-separated (a cell may be wrapped in double quotes; no commas inside cells). Values: Columns[r][c]
/// is row r of the c-th requested column, float64; Times[r] the time column's cell as written ("" without one).</summary>
public sealed record SeriesTable(string Path, string[] Names, double[][] Columns, string[] Times)
{
    public int Rows => Times.Length;

    /// <summary>Reads `columns` (and the time column, when given) of a CSV. ArgumentExceptions start with the option that
    /// names the culprit and say the file and line: a missing column, a value that is not a number, a missing value without
    /// --fill previous (or in the first row, which has no previous value), a time column not strictly increasing.</summary>
    public static SeriesTable Read(string path, IReadOnlyList<string> columns, string time, MissingValues fill, string option = "data")
    {
        if (!File.Exists(path)) throw new ArgumentException($"{option}: {path} does not exist");
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0].Trim() == "") throw new ArgumentException($"{option}: {path}: no header line naming the columns");
        var header = Cells(lines[0]);
        int Index(string name, string what) => Array.IndexOf(header, name) is var i and >= 0 ? i
            : throw new ArgumentException($"{what}: {path} has no column '{name}' (columns: {string.Join(", ", header)})");
        var indices = columns.Select((c, k) => Index(c, k == 0 ? "target" : "features")).ToArray();
        var timeIndex = time == "" ? -1 : Index(time, "time");
        var (values, times) = (columns.Select(_ => new List<double>()).ToArray(), new List<string>());
        var previousTime = (Line: 0, Value: (IComparable?)null);
        for (var l = 1; l < lines.Length; l++)
        {
            if (lines[l].Trim() == "") continue;
            var (line, cells) = (l + 1, Cells(lines[l]));
            if (cells.Length != header.Length)
                throw new ArgumentException($"{option}: {path} line {line}: {cells.Length} cells, the header names {header.Length}");
            for (var k = 0; k < indices.Length; k++)
                values[k].Add(Value(cells[indices[k]], columns[k], values[k], fill, path, line, option));
            if (timeIndex < 0) { times.Add(""); continue; }
            var stamp = Stamp(cells[timeIndex])
                ?? throw new ArgumentException($"time: {path} line {line}: '{cells[timeIndex]}' is neither a number nor a date");
            if (previousTime.Value is { } before && (before.GetType() != stamp.GetType() || before.CompareTo(stamp) >= 0))
                throw new ArgumentException($"time: {path} line {line}: '{cells[timeIndex]}' does not come after line {previousTime.Line}'s '{times[^1]}' (the rows must be in time order)");
            previousTime = (line, stamp);
            times.Add(cells[timeIndex]);
        }
        return new SeriesTable(System.IO.Path.GetFullPath(path), [.. columns], [.. values.Select(v => v.ToArray())], [.. times]);
    }

    private static string[] Cells(string line) => [.. line.Split(',').Select(c => c.Trim()).Select(c => c.Length >= 2 && c[0] == '"' && c[^1] == '"' ? c[1..^1] : c)];

    private static double Value(string cell, string column, List<double> before, MissingValues fill, string path, int line, string option)
    {
        if (cell == "" || cell.Equals("NA", StringComparison.OrdinalIgnoreCase) || cell.Equals("NaN", StringComparison.OrdinalIgnoreCase))
            return fill == MissingValues.Error
                ? throw new ArgumentException($"{option}: {path} line {line}: column '{column}' is missing ('{cell}'); give --fill previous to carry the last value")
                : before.Count > 0 ? before[^1]
                : throw new ArgumentException($"{option}: {path} line {line}: column '{column}' is missing in the first row, which has no previous value to carry");
        return double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && Math.Abs(v) <= float.MaxValue ? v
            : throw new ArgumentException($"{option}: {path} line {line}: column '{column}': '{cell}' is not a finite number");
    }

    /// <summary>A time cell as a number or a date (ISO 8601 and other invariant-culture forms), or null.</summary>
    public static IComparable? Stamp(string cell) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) ? n
        : DateTime.TryParse(cell, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var d) ? d : null;

    /// <summary>The next `count` time values after the last row when the time column is evenly spaced (every difference the
    /// same: a number step or a fixed duration), written as the column's cells are; null without a time column, with fewer
    /// than two rows, or when the spacing varies (monthly dates, gaps): the forecast then names its steps by index only.</summary>
    public string[]? NextTimes(int count)
    {
        if (Rows < 2 || Times[0] == "") return null;
        var stamps = Times.Select(Stamp).ToArray();
        if (stamps[0] is double)
        {
            var numbers = stamps.Cast<double>().ToArray();
            var step = numbers[1] - numbers[0];
            if (numbers.Zip(numbers.Skip(1)).Any(p => Math.Abs(p.Second - p.First - step) > 1e-9 * Math.Max(1, Math.Abs(step)))) return null;
            var decimals = Times.Max(t => t.Contains('.') ? t.Length - t.IndexOf('.') - 1 : 0);
            return [.. Enumerable.Range(1, count).Select(k => (numbers[^1] + k * step).ToString("F" + decimals, CultureInfo.InvariantCulture))];
        }
        var dates = stamps.Cast<DateTime>().ToArray();
        var span = dates[1] - dates[0];
        if (dates.Zip(dates.Skip(1)).Any(p => p.Second - p.First != span)) return null;
        var format = Times[^1].Contains('T') ? "yyyy-MM-ddTHH:mm:ss" : Times[^1].Contains(':') ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd";
        return [.. Enumerable.Range(1, count).Select(k => (dates[^1] + k * span).ToString(format, CultureInfo.InvariantCulture))];
    }
}
