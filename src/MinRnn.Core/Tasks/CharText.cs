using System.Collections.Concurrent;
using System.Text;

namespace MinRnn.Tasks;

/// <summary>Text files of <see cref="CharLm"/>, decoded once per process: strict UTF-8 (a leading byte-order mark is
/// skipped), as Unicode scalar values, and as token ids of an alphabet. Errors are one-line ArgumentExceptions that
/// start with the option's name and name the file.</summary>
public static class CharText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly ConcurrentDictionary<(string Path, DateTime Written, long Bytes), int[]> Texts = new();
    private static readonly ConcurrentDictionary<(string Path, DateTime Written, long Bytes, string Alphabet), int[]> Encoded = new();

    /// <summary>The file's characters as Unicode scalar values.</summary>
    public static int[] Runes(string path, string option)
    {
        var key = Key(path, option);
        return Texts.GetOrAdd(key, k => Decode(k.Path, option));
    }

    /// <summary>The file's characters as ids of `alphabet` (index: character → id; others → unknown).</summary>
    public static int[] Ids(string path, string alphabet, IReadOnlyDictionary<int, int> index, int unknown, string option)
    {
        var (full, written, bytes) = Key(path, option);
        return Encoded.GetOrAdd((full, written, bytes, alphabet), _ => [.. Runes(path, option).Select(r => index.GetValueOrDefault(r, unknown))]);
    }

    private static (string, DateTime, long) Key(string path, string option)
    {
        var file = new FileInfo(path);
        if (!file.Exists) throw new ArgumentException($"{option}: {path} does not exist");
        if (file.Length == 0) throw new ArgumentException($"{option}: {path} is empty");
        return (file.FullName, file.LastWriteTimeUtc, file.Length);
    }

    private static int[] Decode(string path, string option)
    {
        string text;
        try { text = Strict.GetString(File.ReadAllBytes(path)); }
        catch (DecoderFallbackException e) { throw new ArgumentException($"{option}: {path} is not valid UTF-8 text (an invalid byte sequence near byte {Math.Max(0, e.Index)})"); }
        catch (IOException e) { throw new ArgumentException($"{option}: {path} cannot be read ({e.Message.Split('\n')[0]})"); }
        var runes = text.EnumerateRunes().Select(r => r.Value).ToArray();
        if (runes.Length > 0 && runes[0] == 0xFEFF) runes = runes[1..];
        return runes.Length > 0 ? runes : throw new ArgumentException($"{option}: {path} is empty");
    }
}
