using System.Globalization;

namespace MinRnn.Onnx.Format;

/// <summary>A file's metadata_props with one-line errors naming the file and the entry.</summary>
internal sealed class MetadataEntries(IReadOnlyDictionary<string, string> entries, string path)
{
    public string Path => path;

    public bool Has(string key) => entries.ContainsKey(key);

    public string Text(string key) =>
        entries.TryGetValue(key, out var v) ? v : throw Error($"MinRnn metadata has no '{key}'");

    public int Int(string key) =>
        int.TryParse(Text(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0
            ? v : throw Error($"MinRnn metadata '{key}' is not a non-negative integer ('{Text(key)}')");

    public InvalidDataException Error(string message, Exception? inner = null) => new($"{path}: {message}", inner);
}
