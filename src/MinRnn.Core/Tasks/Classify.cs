namespace MinRnn.Tasks;

/// <summary>Sequence classification of the user's rows (`--task classify --data train.jsonl`): one row a line,
/// `{"input": "text" | [token ids] | [[f1, …, fF], …], "label": "name" | integer}`; the class is read from the row's state at its own last
/// step. Without --eval-data a seeded, stratified 10% of the rows is held out (docs/OWN_DATA.md).</summary>
public sealed record Classify(int SeqLen = 1, string Data = "", string EvalData = "", string Form = LabelledRows.Text, string Alphabet = "",
    int InputTokens = 0, string[]? ClassNames = null, bool IntegerLabels = false, long HoldoutSeed = 0,
    int? Features = null, float[]? FeatureMean = null, float[]? FeatureStd = null)
    : LabelledTask(SeqLen, Data, EvalData, Form, Alphabet, InputTokens, ClassNames ?? [], IntegerLabels, HoldoutSeed, Features, FeatureMean, FeatureStd)
{
    public const string TaskName = "classify";

    public override string Name => TaskName;

    protected override LabelShape Shape => LabelShape.PerRow;
}
