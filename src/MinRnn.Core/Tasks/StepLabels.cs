namespace MinRnn.Tasks;

/// <summary>Per-step labelling of the user's rows (`--task label --data train.jsonl`): one row a line,
/// `{"input": "text" | [token ids] | [[f1, …, fF], …], "labels": [one per step]}`; every step read is scored. Without --eval-data a
/// seeded 10% of the rows is held out (docs/OWN_DATA.md).</summary>
public sealed record StepLabels(int SeqLen = 1, string Data = "", string EvalData = "", string Form = LabelledRows.Text, string Alphabet = "",
    int InputTokens = 0, string[]? ClassNames = null, bool IntegerLabels = false, long HoldoutSeed = 0,
    int? Features = null, float[]? FeatureMean = null, float[]? FeatureStd = null)
    : LabelledTask(SeqLen, Data, EvalData, Form, Alphabet, InputTokens, ClassNames ?? [], IntegerLabels, HoldoutSeed, Features, FeatureMean, FeatureStd)
{
    public const string TaskName = "label";

    public override string Name => TaskName;

    protected override LabelShape Shape => LabelShape.PerStep;
}
