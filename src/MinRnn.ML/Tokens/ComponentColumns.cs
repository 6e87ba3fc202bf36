namespace MinRnn.ML.Tokens;

/// <summary>Columns the component passes between its steps; all start with <see cref="Prefix"/> and are dropped at its end,
/// so user columns may not use that prefix.</summary>
internal static class ComponentColumns
{
    public const string Prefix = "MinRnn.";
    public const string Input = "MinRnn.Input";                 // a copy of the user's token (or text) column
    public const string Tokens = "MinRnn.Tokens";               // int64 ids, converted once
    public const string Check = "MinRnn.TokenCheck";            // int64 [4] from the token check graph
    public const string CheckedTokens = "MinRnn.CheckedTokens"; // the ids again, after the check passed
    public const string CodePoints = "MinRnn.CodePoints";       // a text column's characters as int64 code points
    public const string OutputPrefix = "MinRnn.Out.";           // the model's outputs before they get the user's names
    public const string Score = "MinRnn.Out.score";             // classify: float [C], the class probabilities by slot
    public const string ClassSlots = "MinRnn.Out.class";        // classify: int64 [1], the answer's slot
    public const string ClassSlot = "MinRnn.ClassSlot";         // the same as a scalar, for the value mapping to the key
}
