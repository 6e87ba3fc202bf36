namespace MinRnn.Tests;

/// <summary>C# source as a scan for names in code should read it: comments and the contents of string and character
/// literals (regular, verbatim, raw) blanked, newlines kept so that line numbers still hold.</summary>
public static class SourceText
{
    public static string Code(string source)
    {
        var c = source.ToCharArray();
        var i = 0;
        while (i < c.Length)
        {
            if (At(c, i, "//")) while (i < c.Length && c[i] != '\n') Blank(c, i++);
            else if (At(c, i, "/*"))
            {
                while (i < c.Length && !At(c, i, "*/")) Blank(c, i++);
                for (var k = 0; k < 2 && i < c.Length; k++) Blank(c, i++);
            }
            else if (At(c, i, "\"\"\"")) i = Raw(c, i);
            else if (c[i] == '"') i = Quoted(c, i, verbatim: i > 0 && (c[i - 1] == '@' || c[i - 1] == '$' && i > 1 && c[i - 2] == '@'));
            else if (c[i] == '\'') i = Quoted(c, i, verbatim: false, quote: '\'');
            else i++;
        }
        return new string(c);
    }

    /// <summary>A raw string of n ≥ 3 quotes: blanked up to the next run of n quotes; returns the index after it.</summary>
    private static int Raw(char[] c, int i)
    {
        var n = 0;
        while (i + n < c.Length && c[i + n] == '"') n++;
        var close = new string('"', n);
        i += n;
        while (i < c.Length && !At(c, i, close)) Blank(c, i++);
        return Math.Min(c.Length, i + n);
    }

    /// <summary>A "…" (or '…') literal from its opening quote: its contents blanked; returns the index after it.</summary>
    private static int Quoted(char[] c, int i, bool verbatim, char quote = '"')
    {
        i++;
        while (i < c.Length)
        {
            if (verbatim && c[i] == quote && i + 1 < c.Length && c[i + 1] == quote) { Blank(c, i++); Blank(c, i++); }
            else if (!verbatim && c[i] == '\\' && i + 1 < c.Length) { Blank(c, i++); Blank(c, i++); }
            else if (c[i] == quote || !verbatim && c[i] == '\n') return i + 1;
            else Blank(c, i++);
        }
        return i;
    }

    private static bool At(char[] c, int i, string s) => i + s.Length <= c.Length && new ReadOnlySpan<char>(c, i, s.Length).SequenceEqual(s);

    private static void Blank(char[] c, int i)
    {
        if (c[i] != '\n') c[i] = ' ';
    }
}
