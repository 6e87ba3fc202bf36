using System.Globalization;

namespace MinRnn.Cli;

/// <summary>Bad command-line input: printed as one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>Minimal `--name value` / `--name=value` / `--flag` parser that names the offending option in errors.</summary>
public sealed class Args
{
    private readonly Dictionary<string, string> values = new();
    private readonly HashSet<string> flags = new();
    private readonly Dictionary<string, List<string>> lists = new();

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
                throw new UsageException($"unknown option '{name}' (options: {string.Join(" ", valueOptions.Concat(flagOptions).Concat(repeatable).Order())})");
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
}
