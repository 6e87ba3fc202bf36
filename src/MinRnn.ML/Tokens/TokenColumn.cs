using Microsoft.ML;
using Microsoft.ML.Data;

namespace MinRnn.ML.Tokens;

/// <summary>The item types a token column may have; each has its own conversion to int64.</summary>
internal enum TokenKind { Int32, Int64, UInt32, Key }

/// <summary>Checks the input column against what the component accepts, with messages that name the column.</summary>
internal static class TokenColumn
{
    private const string Accepted = "a vector of token ids (int32, int64, uint32 or a uint key)";

    public static TokenKind Kind(DataViewSchema schema, string name, int vocab)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"MinRnn: input column '{name}' not found; it must be {Accepted}");
        if (column.Type is not VectorDataViewType vector)
            throw Wrong(name, column.Type);
        return Kind(name, vector.ItemType, vocab, column.Type);
    }

    public static TokenKind Kind(SchemaShape schema, string name, int vocab)
    {
        if (schema.LastOrDefault(c => c.Name == name) is not { Name: not null } column)
            throw new ArgumentOutOfRangeException(nameof(schema), $"MinRnn: input column '{name}' not found; it must be {Accepted}");
        if (column.Kind == SchemaShape.Column.VectorKind.Scalar)
            throw Wrong(name, column.ItemType);
        return Kind(name, column.ItemType, vocab, column.ItemType);
    }

    private static TokenKind Kind(string name, DataViewType item, int vocab, DataViewType shown)
    {
        if (item is KeyDataViewType key)
        {
            if (key.RawType != typeof(uint)) throw Wrong(name, shown);
            if (key.Count > (ulong)vocab)
                throw new ArgumentOutOfRangeException(nameof(name), $"MinRnn: input column '{name}' has {key.Count} key values but the model's vocabulary has {vocab} ids");
            return TokenKind.Key;
        }
        if (item == NumberDataViewType.Int32) return TokenKind.Int32;
        if (item == NumberDataViewType.Int64) return TokenKind.Int64;
        if (item == NumberDataViewType.UInt32) return TokenKind.UInt32;
        throw Wrong(name, shown);
    }

    private static ArgumentOutOfRangeException Wrong(string name, DataViewType type) =>
        new(nameof(name), $"MinRnn: input column '{name}' is {type}; it must be {Accepted}");

    /// <summary>The custom mapping that converts this kind of column to int64 ids.</summary>
    public static IEstimator<ITransformer> Conversion(MLContext ml, TokenKind kind) => kind switch
    {
        TokenKind.Int32 => ml.Transforms.CustomMapping(new TokensFromInt32().GetMapping(), TokenContracts.FromInt32),
        TokenKind.Int64 => ml.Transforms.CustomMapping(new TokensFromInt64().GetMapping(), TokenContracts.FromInt64),
        TokenKind.UInt32 => ml.Transforms.CustomMapping(new TokensFromUInt32().GetMapping(), TokenContracts.FromUInt32),
        _ => ml.Transforms.CustomMapping(new TokensFromKey().GetMapping(), TokenContracts.FromKey),
    };
}
