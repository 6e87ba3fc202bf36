using System.ComponentModel;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MinRnn.ML.Tokens;

// A numeric model's two C# steps, beside the token ones (TokenMappings.cs) and saved the same way: by contract name.
// F (values per step) lives in the feature check graph, which ML.NET saves with the model.

/// <summary>Contract names of the numeric input's custom mappings (saved in ML.NET model files: never change one).</summary>
public static class FeatureContracts
{
    /// <summary>float values, copied; an empty row fails.</summary>
    public const string FromSingle = "MinRnn.FeaturesFromSingle.v1";
    /// <summary>Fails a row whose feature check found a length not a multiple of F, or a NaN or infinity.</summary>
    public const string Guard = "MinRnn.FeatureGuard.v1";
}

/// <summary>Checks and messages of a numeric row (F values per step, flattened), shared by the mappings and the batched reader.</summary>
internal static class FeatureRules
{
    public static void NotEmpty(int length)
    {
        if (length == 0) throw new InvalidTokenSequenceException("MinRnn: empty numeric row; every row needs at least one step");
    }

    public static InvalidTokenSequenceException NotSteps(long length, long features) =>
        new($"MinRnn: numeric row of {length} values is not a multiple of F = {features} (values per step, flattened step by step)");

    public static InvalidTokenSequenceException NotFinite(float value, long position, long features) =>
        new($"MinRnn: numeric row has {value} at step {position / features}, feature {position % features}; every value must be finite");

    /// <summary>The checks in one place: empty, length, first non-finite value.</summary>
    public static void Check(ReadOnlySpan<float> values, int features)
    {
        NotEmpty(values.Length);
        if (values.Length % features != 0) throw NotSteps(values.Length, features);
        for (var p = 0; p < values.Length; p++)
            if (!float.IsFinite(values[p])) throw NotFinite(values[p], p, features);
    }
}

#pragma warning disable CS1591 // plumbing for ML.NET's reflection, documented by the factories
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class SingleFeatureRow { [ColumnName(ComponentColumns.Input), VectorType] public float[] Values { get; set; } = []; }

[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ConvertedFeatureRow { [ColumnName(ComponentColumns.Features), VectorType] public float[] Values { get; set; } = []; }

[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class FeatureCheckRow
{
    [ColumnName(ComponentColumns.Features), VectorType] public float[] Values { get; set; } = [];
    [ColumnName(ComponentColumns.Check), VectorType(3)] public long[] Check { get; set; } = [];
}

[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class CheckedFeatureRow { [ColumnName(ComponentColumns.CheckedFeatures), VectorType] public float[] Values { get; set; } = []; }
#pragma warning restore CS1591

/// <summary>float values, unchanged (a fixed-size column becomes variable-length); an empty row fails.</summary>
[CustomMappingFactoryAttribute(FeatureContracts.FromSingle)]
public sealed class FeaturesFromSingle : CustomMappingFactory<SingleFeatureRow, ConvertedFeatureRow>
{
    /// <inheritdoc/>
    public override Action<SingleFeatureRow, ConvertedFeatureRow> GetMapping() => (src, dst) =>
    {
        FeatureRules.NotEmpty(src.Values.Length);
        dst.Values = src.Values;
    };
}

/// <summary>Passes the values on when the feature check (N, F, first non-finite position or N) found N a multiple of F and
/// every value finite, and fails the row otherwise. Runs before the model, which therefore never sees a bad row.</summary>
[CustomMappingFactoryAttribute(FeatureContracts.Guard)]
public sealed class FeatureGuard : CustomMappingFactory<FeatureCheckRow, CheckedFeatureRow>
{
    /// <inheritdoc/>
    public override Action<FeatureCheckRow, CheckedFeatureRow> GetMapping() => (src, dst) =>
    {
        if (src.Check.Length != 3) throw new InvalidOperationException($"MinRnn: feature check returned {src.Check.Length} values, expected 3");
        var (length, features, position) = (src.Check[0], src.Check[1], src.Check[2]);
        if (length % features != 0) throw FeatureRules.NotSteps(length, features);
        if (position < length) throw FeatureRules.NotFinite(src.Values[position], position, features);
        dst.Values = src.Values;
    };
}
