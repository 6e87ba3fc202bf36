namespace MinRnn.Runs;

/// <summary>The JSON names readers look up in summary.json and metrics.jsonl (the writers' records serialise their
/// properties in snake case through <see cref="RunJson.Options"/>; a test checks that every name here is one they write).</summary>
public static class RunFields
{
    // summary.json
    public const string Model = "model";
    public const string Layers = "layers";
    public const string Seed = "seed";
    public const string Steps = "steps";
    public const string Task = "task";
    public const string TaskName = "name";
    public const string SeqLen = "seq_len";
    public const string Config = "config";
    public const string ConfigModel = "model";
    public const string Dim = "dim";
    public const string Expansion = "expansion";
    public const string Scan = "scan";
    public const string Tokens = "tokens";
    public const string Vocab = "vocab";

    // metrics.jsonl and eval-*.json
    public const string Step = "step";
    public const string Accuracy = "accuracy";
    public const string SequenceAccuracy = "sequence_accuracy";
    public const string ElapsedS = "elapsed_s";
    public const string Bpc = "bpc";

    /// <summary>summary.json names a task's metric NAME on the evaluation set test_NAME (char-lm's test_bpc).</summary>
    public const string TestPrefix = "test_";
    public const string TestBpc = TestPrefix + Bpc;
    public const string TestAccuracy = TestPrefix + Accuracy;

    // explain.json
    public const string ExplainMethods = "methods";
}
