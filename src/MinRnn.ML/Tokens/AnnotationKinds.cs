namespace MinRnn.ML.Tokens;

/// <summary>ML.NET's annotation names (its own constants are internal).</summary>
internal static class AnnotationKinds
{
    /// <summary>A key column's values, vector [key count]; <c>MapKeyToValue</c> reads them.</summary>
    public const string KeyValues = "KeyValues";
    /// <summary>A vector column's slot names, text [size]; the multiclass evaluator names the classes by Score's.</summary>
    public const string SlotNames = "SlotNames";
}
