using Microsoft.ML;
using Microsoft.ML.Data;
using MinRnn.ML.Tokens;

namespace MinRnn.ML.Batching;

/// <summary>Reads the user's token column straight from a cursor as checked int64 ids, by the same rules and messages as
/// the chain's conversion mappings and token check (empty row, missing key, id outside the vocabulary), without their
/// per-row ML.NET work (custom-mapping row objects, a check graph call). A text column gives its code points, which the
/// graph looks up in the model's alphabet.</summary>
internal sealed class TokenReader
{
    private readonly Func<long[]> read;
    private readonly int vocab;
    private readonly bool text;

    public TokenReader(DataViewRowCursor cursor, DataViewSchema.Column column, TokenKind kind, int vocab)
    {
        this.vocab = vocab;
        text = kind == TokenKind.Text;
        read = text ? TextReader(cursor, column) : kind switch
        {
            TokenKind.Int32 => Reader<int>(cursor, column, (x, _) => x),
            TokenKind.Int64 => Reader<long>(cursor, column, (x, _) => x),
            TokenKind.UInt32 => Reader<uint>(cursor, column, (x, _) => x),
            _ => Reader<uint>(cursor, column, Key),
        };
    }

    /// <summary>The current row's ids, checked.</summary>
    public long[] Read()
    {
        var row = read();
        if (text) return row;
        TokenRules.NotEmpty(row.Length);
        for (var t = 0; t < row.Length; t++)
            if (row[t] < 0 || row[t] >= vocab) throw TokenRules.OutsideVocabulary(row[t], t, vocab);
        return row;
    }

    private static Func<long[]> Reader<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, int, long> convert)
    {
        var getter = cursor.GetGetter<VBuffer<T>>(column);
        var buffer = default(VBuffer<T>);
        return () =>
        {
            getter(ref buffer);
            var ids = new long[buffer.Length];
            var t = 0;
            foreach (var x in buffer.DenseValues()) { ids[t] = convert(x, t); t++; }
            return ids;
        };
    }

    private static Func<long[]> TextReader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        var value = default(ReadOnlyMemory<char>);
        return () =>
        {
            getter(ref value);
            return TextAlphabet.CodePoints(value.Span);
        };
    }

    /// <summary>Key k (1-based, 0 = missing) is token id k − 1.</summary>
    private static long Key(uint k, int position) => k == 0 ? throw TokenRules.MissingKey(position) : k - 1L;
}
