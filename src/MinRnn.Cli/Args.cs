using System.Globalization;

namespace MinRnn.Cli;

/// <summary>Bad command-line input: printed as one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>The options one command accepts, as data (docs/COMMANDS.md is checked against it): value options, flags,
/// and value options that may be given more than once.</summary>
public sealed record OptionSet(IReadOnlyCollection<string> Values, IReadOnlyCollection<string> Flags, IReadOnlyCollection<string>? Repeatable = null)
{
    public IEnumerable<string> All => Values.Concat(Flags).Concat(Repeatable ?? []);
}

/// <summary>Minimal `--name value` / `--name=value` / `--flag` parser that names the offending option in errors.</summary>
public sealed class Args
{
    private readonly Dictionary<string, string> values = new();
    private readonly HashSet<string> flags = new();
    private readonly Dictionary<string, List<string>> lists = new();

    public Args(IEnumerable<string> argv, OptionSet options) : this(argv, options.Values, options.Flags, options.Repeatable) { }

    /// <param name="repeatable">Value options that may be given more than once (read with <see cref="Strings"/>).</param>
    public Args(IEnumerable<string> argv, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string> flagOptions,
        IReadOnlyCollection<string>? repeatable = null)
    {
        repeatable ??= [];
        using var e = argv.GetEnumerator();
        while (e.MoveNext())
        {
            var token = e.Current;
            if (!token.StartsWith("--", StringComparison.Ordinal))
                throw new UsageException($"unexpected argument '{token}'");
            var (name, inline) = token.IndexOf('=') is var eq and > 0 ? (token[..eq], token[(eq + 1)..]) : (token, null);
            if (flagOptions.Contains(name))
            {
                if (inline is not null) throw new UsageException($"{name}: takes no value");
                flags.Add(name);
            }
            else if (repeatable.Contains(name))
            {
                if (inline is null && !e.MoveNext()) throw new UsageException($"{name}: missing value");
                (lists.TryGetValue(name, out var list) ? list : lists[name] = []).Add(inline ?? e.Current);
            }
            else if (valueOptions.Contains(name))
            {
                if (inline is null && !e.MoveNext()) throw new UsageException($"{name}: missing value");
                if (values.ContainsKey(name)) throw new UsageException($"{name}: given twice");
                values[name] = inline ?? e.Current;
            }
            else
            {
                var known = valueOptions.Concat(flagOptions).Concat(repeatable).Order().ToList();
                var hint = Closest(name, known) is { } guess ? $"did you mean {guess}? " : "";
                throw new UsageException($"unknown option '{name}' ({hint}options: {string.Join(" ", known)})");
            }
        }
    }

    public bool Has(string name) => values.ContainsKey(name) || flags.Contains(name) || lists.ContainsKey(name);

    /// <summary>Every value of a repeatable option, in order (empty when not given).</summary>
    public IReadOnlyList<string> Strings(string name) => lists.TryGetValue(name, out var list) ? list : [];

    public bool Flag(string name) => flags.Contains(name);

    public string? String(string name) => values.GetValueOrDefault(name);

    public string Required(string name) => String(name) ?? throw new UsageException($"{name}: required");

    public string Choice(string name, string fallback, IReadOnlyCollection<string> allowed)
    {
        var v = String(name) ?? fallback;
        return allowed.Contains(v) ? v : throw new UsageException($"{name}: '{v}' is not one of {string.Join("|", allowed)}");
    }

    /// <summary>A comma-separated list of names, each one of `allowed`, without repeats (in the given order).</summary>
    public List<string> Names(string name, string fallback, IReadOnlyCollection<string> allowed) =>
        Items(name, fallback).Select(v => allowed.Contains(v) ? v : throw new UsageException($"{name}: '{v}' is not one of {string.Join("|", allowed)}"))
            .Distinct().ToList();

    /// <summary>A comma-separated list of integers ≥ min (0 or 1), in the given order.</summary>
    public List<int> Ints(string name, string fallback, int min) =>
        Items(name, fallback).Select(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var x) && x >= min ? x
            : throw new UsageException($"{name}: '{v}' is not a {(min > 0 ? "positive" : "non-negative")} integer")).ToList();

    private IEnumerable<string> Items(string name, string fallback) =>
        (String(name) ?? fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public int Int(string name, int fallback, int min = int.MinValue, int max = int.MaxValue) =>
        (int)Long(name, fallback, min, max);

    public long Long(string name, long fallback, long min = long.MinValue, long max = long.MaxValue)
    {
        var v = String(name);
        if (v is null) return fallback;
        if (!long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var x))
            throw new UsageException($"{name}: '{v}' is not an integer");
        if (x < min || x > max)
            throw new UsageException($"{name}: {x} is out of range [{min}, {(max == long.MaxValue || max == int.MaxValue ? "∞" : max)}]");
        return x;
    }

    public double Double(string name, double fallback, double min = double.NegativeInfinity, bool exclusiveMin = false)
    {
        var v = String(name);
        if (v is null) return fallback;
        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) || !double.IsFinite(x))
            throw new UsageException($"{name}: '{v}' is not a number");
        if (exclusiveMin ? x <= min : x < min)
            throw new UsageException($"{name}: {v} must be {(exclusiveMin ? ">" : "≥")} {min.ToString(CultureInfo.InvariantCulture)}");
        return x;
    }

    /// <summary>The known option nearest to a mistyped one: at most two edits away (Levenshtein), else null.</summary>
    public static string? Closest(string name, IEnumerable<string> known) =>
        known.Select(k => (Option: k, Distance: Edits(name, k))).Where(k => k.Distance <= 2)
            .OrderBy(k => k.Distance).Select(k => k.Option).FirstOrDefault();

    private static int Edits(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];                                  // row holds the distances of a[..i−1]; diagonal: of a[..i−1], b[..j−1]
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
                (diagonal, row[j]) = (row[j], Math.Min(Math.Min(row[j], row[j - 1]) + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)));
        }
        return row[b.Length];
    }
}
