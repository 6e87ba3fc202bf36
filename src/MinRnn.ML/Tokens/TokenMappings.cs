using System.ComponentModel;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MinRnn.ML.Tokens;

// The component's two C# steps, as ML.NET custom mappings: stateless, so ML.NET saves them by contract name and finds
// them again on load (it records this assembly's name beside the contract). What depends on the model (the vocabulary)
// lives in the token check graph, which ML.NET saves with the model. A contract name ends in its format version; a
// changed mapping gets a new name and the old class stays, so saved pipelines keep loading.

/// <summary>Contract names of the component's custom mappings (saved in ML.NET model files: never change one).</summary>
public static class TokenContracts
{
    /// <summary>int32 ids → int64.</summary>
    public const string FromInt32 = "MinRnn.TokensFromInt32.v1";
    /// <summary>int64 ids, copied.</summary>
    public const string FromInt64 = "MinRnn.TokensFromInt64.v1";
    /// <summary>uint32 ids → int64.</summary>
    public const string FromUInt32 = "MinRnn.TokensFromUInt32.v1";
    /// <summary>key values k (1-based, 0 = missing) → id k − 1.</summary>
    public const string FromKey = "MinRnn.TokensFromKey.v1";
    /// <summary>Fails a row whose token check found an id outside the vocabulary.</summary>
    public const string Guard = "MinRnn.TokenGuard.v1";
    /// <summary>text → its characters' code points (a text model's input).</summary>
    public const string FromText = "MinRnn.CodePointsFromText.v1";
    /// <summary>a classify answer's slot, vector of one → scalar.</summary>
    public const string ClassSlot = "MinRnn.ClassSlot.v1";
}

/// <summary>Checks and messages shared by the mappings.</summary>
internal static class TokenRules
{
    public static void NotEmpty(int length)
    {
        if (length == 0) throw new InvalidTokenSequenceException("MinRnn: empty token sequence; every row needs at least one token");
    }

    public static InvalidTokenSequenceException MissingKey(long position) =>
        new($"MinRnn: missing key value at position {position}; every token needs a key");

    public static InvalidTokenSequenceException OutsideVocabulary(long id, long position, long vocab) =>
        new($"MinRnn: token id {id} at position {position} is outside the model's vocabulary (ids 0..{vocab - 1})");
}

#pragma warning disable CS1591 // the row classes below are plumbing for ML.NET's reflection, documented by their factories
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class Int32TokenRow { [ColumnName(ComponentColumns.Input), VectorType] public int[] Ids { get; set; } = []; }

[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class Int64TokenRow { [ColumnName(ComponentColumns.Input), VectorType] public long[] Ids { get; set; } = []; }

/// <remarks>Also reads key columns: ML.NET hands a key's raw value (1-based, 0 = missing) to a uint field.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class UInt32TokenRow { [ColumnName(ComponentColumns.Input), VectorType] public uint[] Ids { get; set; } = []; }

[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ConvertedTokenRow { [ColumnName(ComponentColumns.Tokens), VectorType] public long[] Ids { get; set; } = []; }

[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TokenCheckRow
{
    [ColumnName(ComponentColumns.Tokens), VectorType] public long[] Ids { get; set; } = [];
    [ColumnName(ComponentColumns.Check), VectorType(4)] public long[] Check { get; set; } = [];
}

[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class CheckedTokenRow { [ColumnName(ComponentColumns.CheckedTokens), VectorType] public long[] Ids { get; set; } = []; }
#pragma warning restore CS1591

/// <summary>int32 ids → int64 (the one conversion); an empty sequence fails.</summary>
[CustomMappingFactoryAttribute(TokenContracts.FromInt32)]
public sealed class TokensFromInt32 : CustomMappingFactory<Int32TokenRow, ConvertedTokenRow>
{
    /// <inheritdoc/>
    public override Action<Int32TokenRow, ConvertedTokenRow> GetMapping() => (src, dst) =>
    {
        TokenRules.NotEmpty(src.Ids.Length);
        dst.Ids = Array.ConvertAll(src.Ids, x => (long)x);
    };
}

/// <summary>int64 ids, unchanged; an empty sequence fails.</summary>
[CustomMappingFactoryAttribute(TokenContracts.FromInt64)]
public sealed class TokensFromInt64 : CustomMappingFactory<Int64TokenRow, ConvertedTokenRow>
{
    /// <inheritdoc/>
    public override Action<Int64TokenRow, ConvertedTokenRow> GetMapping() => (src, dst) =>
    {
        TokenRules.NotEmpty(src.Ids.Length);
        dst.Ids = src.Ids;
    };
}

/// <summary>uint32 ids → int64; an empty sequence fails.</summary>
[CustomMappingFactoryAttribute(TokenContracts.FromUInt32)]
public sealed class TokensFromUInt32 : CustomMappingFactory<UInt32TokenRow, ConvertedTokenRow>
{
    /// <inheritdoc/>
    public override Action<UInt32TokenRow, ConvertedTokenRow> GetMapping() => (src, dst) =>
    {
        TokenRules.NotEmpty(src.Ids.Length);
        dst.Ids = Array.ConvertAll(src.Ids, x => (long)x);
    };
}

/// <summary>Key values → ids: ML.NET keys are 1-based (0 = missing), so key k is token id k − 1. An empty sequence or a
/// missing key fails.</summary>
[CustomMappingFactoryAttribute(TokenContracts.FromKey)]
public sealed class TokensFromKey : CustomMappingFactory<UInt32TokenRow, ConvertedTokenRow>
{
    /// <inheritdoc/>
    public override Action<UInt32TokenRow, ConvertedTokenRow> GetMapping() => (src, dst) =>
    {
        TokenRules.NotEmpty(src.Ids.Length);
        var ids = new long[src.Ids.Length];
        for (var t = 0; t < ids.Length; t++)
        {
            if (src.Ids[t] == 0) throw TokenRules.MissingKey(t);
            ids[t] = src.Ids[t] - 1L;
        }
        dst.Ids = ids;
    };
}

/// <summary>Passes the ids on when the token check (T, first bad position, its id, vocab) found none outside the
/// vocabulary, and fails the row otherwise. Runs before the model, which therefore never sees a bad id.</summary>
[CustomMappingFactoryAttribute(TokenContracts.Guard)]
public sealed class TokenGuard : CustomMappingFactory<TokenCheckRow, CheckedTokenRow>
{
    /// <inheritdoc/>
    public override Action<TokenCheckRow, CheckedTokenRow> GetMapping() => (src, dst) =>
    {
        if (src.Check.Length != 4) throw new InvalidOperationException($"MinRnn: token check returned {src.Check.Length} values, expected 4");
        var (length, position, id, vocab) = (src.Check[0], src.Check[1], src.Check[2], src.Check[3]);
        if (position < length) throw TokenRules.OutsideVocabulary(id, position, vocab);
        dst.Ids = src.Ids;
    };
}
