using Microsoft.ML;
using Microsoft.ML.Data;

namespace MinRnn.ML.Tokens;

/// <summary>The item types a token column may have; each has its own conversion to int64.</summary>
internal enum TokenKind { Int32, Int64, UInt32, Key, Text, Features }

/// <summary>Checks the input column against what the component accepts, with messages that name the column.</summary>
internal static class TokenColumn
{
    private const string Accepted = "a vector of token ids (int32, int64, uint32 or a uint key)";
    private const string AcceptedOrText = "text or " + Accepted;

    private static string Numeric(int features) => $"a vector of float32 values, {features} per step, flattened step by step (the model reads numeric steps of F = {features})";

    /// <summary>The kind of the token column and its type (as the conversion declares it). A text column is read by a
    /// model trained on text (<paramref name="readsText"/>: one with an alphabet); a float vector by a numeric model
    /// (<paramref name="features"/>: its F), which reads nothing else.</summary>
    public static (TokenKind Kind, DataViewType Type) Find(DataViewSchema schema, string name, int vocab, bool readsText = false, int? features = null)
    {
        if (features is { } f)
        {
            var found = schema.GetColumnOrNull(name)
                ?? throw new ArgumentOutOfRangeException(nameof(schema), $"MinRnn: input column '{name}' not found; it must be {Numeric(f)}");
            return found.Type is VectorDataViewType { ItemType: var item } && item == NumberDataViewType.Single ? (TokenKind.Features, found.Type)
                : throw new ArgumentOutOfRangeException(nameof(schema), $"MinRnn: input column '{name}' is {found.Type}; it must be {Numeric(f)}");
        }
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"MinRnn: input column '{name}' not found; it must be {(readsText ? AcceptedOrText : Accepted)}");
        if (column.Type is TextDataViewType) return (Text(name, readsText), column.Type);
        if (column.Type is not VectorDataViewType vector)
            throw Wrong(name, column.Type, readsText);
        return (Kind(name, vector.ItemType, vocab, column.Type, readsText), column.Type);
    }

    private static TokenKind Text(string name, bool readsText) => readsText ? TokenKind.Text
        : throw new ArgumentOutOfRangeException(nameof(name), $"MinRnn: input column '{name}' is text, but the model was not trained on text (it has no alphabet); it must be {Accepted}");

    /// <summary>As above, for schema propagation: the type is rebuilt from the shape (for a fixed-size vector with a
    /// placeholder size: propagation compares the vector kind and item type only).</summary>
    public static (TokenKind Kind, DataViewType Type) Find(SchemaShape schema, string name, int vocab, bool readsText = false, int? features = null)
    {
        if (features is { } f)
        {
            if (schema.LastOrDefault(c => c.Name == name) is not { Name: not null } found)
                throw new ArgumentOutOfRangeException(nameof(schema), $"MinRnn: input column '{name}' not found; it must be {Numeric(f)}");
            return found.Kind != SchemaShape.Column.VectorKind.Scalar && found.ItemType == NumberDataViewType.Single
                ? (TokenKind.Features, new VectorDataViewType(NumberDataViewType.Single))
                : throw new ArgumentOutOfRangeException(nameof(schema),
                    $"MinRnn: input column '{name}' is {(found.Kind == SchemaShape.Column.VectorKind.Scalar ? "" : "a vector of ")}{found.ItemType}; it must be {Numeric(f)}");
        }
        if (schema.LastOrDefault(c => c.Name == name) is not { Name: not null } column)
            throw new ArgumentOutOfRangeException(nameof(schema), $"MinRnn: input column '{name}' not found; it must be {(readsText ? AcceptedOrText : Accepted)}");
        if (column.Kind == SchemaShape.Column.VectorKind.Scalar && column.ItemType is TextDataViewType) return (Text(name, readsText), column.ItemType);
        if (column.Kind == SchemaShape.Column.VectorKind.Scalar)
            throw Wrong(name, column.ItemType, readsText);
        var kind = Kind(name, column.ItemType, vocab, column.ItemType, readsText);
        var item = (PrimitiveDataViewType)column.ItemType;
        return (kind, column.Kind == SchemaShape.Column.VectorKind.Vector ? new VectorDataViewType(item, 1) : new VectorDataViewType(item));
    }

    private static TokenKind Kind(string name, DataViewType item, int vocab, DataViewType shown, bool readsText)
    {
        if (item is KeyDataViewType key)
        {
            if (key.RawType != typeof(uint)) throw Wrong(name, shown, readsText);
            if (key.Count > (ulong)vocab)
                throw new ArgumentOutOfRangeException(nameof(name), $"MinRnn: input column '{name}' has {key.Count} key values but the model's vocabulary has {vocab} ids");
            return TokenKind.Key;
        }
        if (item == NumberDataViewType.Int32) return TokenKind.Int32;
        if (item == NumberDataViewType.Int64) return TokenKind.Int64;
        if (item == NumberDataViewType.UInt32) return TokenKind.UInt32;
        throw Wrong(name, shown, readsText);
    }

    private static SchemaDefinition Declared<TRow>(DataViewType type)
    {
        var definition = SchemaDefinition.Create(typeof(TRow));
        definition[ComponentColumns.Input].ColumnType = type;
        return definition;
    }

    private static ArgumentOutOfRangeException Wrong(string name, DataViewType type, bool readsText) =>
        new(nameof(name), $"MinRnn: input column '{name}' is {type}; it must be {(readsText ? AcceptedOrText : Accepted)}");

    /// <summary>The custom mapping that converts this kind of column (of type <paramref name="type"/>) to int64 ids.</summary>
    /// <remarks>The row classes declare variable-length vectors of plain numbers; ML.NET's estimator chain checks that
    /// declaration against the column (a fixed-size vector or a key would fail it), so the declaration here names the
    /// column's own type. The loaded transformer, rebuilt from the row class alone, reads any vector of the same raw
    /// type (a key as its raw values) without that check.</remarks>
    public static IEstimator<ITransformer> Conversion(TransformsCatalog transforms, TokenKind kind, DataViewType type) => kind switch
    {
        TokenKind.Int32 => transforms.CustomMapping(new TokensFromInt32().GetMapping(), TokenContracts.FromInt32, Declared<Int32TokenRow>(type)),
        TokenKind.Int64 => transforms.CustomMapping(new TokensFromInt64().GetMapping(), TokenContracts.FromInt64, Declared<Int64TokenRow>(type)),
        TokenKind.UInt32 => transforms.CustomMapping(new TokensFromUInt32().GetMapping(), TokenContracts.FromUInt32, Declared<UInt32TokenRow>(type)),
        TokenKind.Text => transforms.CustomMapping(new CodePointsFromText().GetMapping(), TokenContracts.FromText),
        TokenKind.Features => transforms.CustomMapping(new FeaturesFromSingle().GetMapping(), FeatureContracts.FromSingle, Declared<SingleFeatureRow>(type)),
        _ => transforms.CustomMapping(new TokensFromKey().GetMapping(), TokenContracts.FromKey, Declared<UInt32TokenRow>(type)),
    };
}
