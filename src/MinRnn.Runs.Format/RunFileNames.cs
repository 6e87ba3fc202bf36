namespace MinRnn.Runs;

/// <summary>The files and folders of a run folder (docs/FORMATS.md, "Run folders").</summary>
public static class RunFileNames
{
    /// <summary>The resolved configuration, written when training starts.</summary>
    public const string Config = "config.json";

    /// <summary>One <see cref="MetricsLine"/> per evaluation, appended.</summary>
    public const string Metrics = "metrics.jsonl";

    /// <summary>Written once, when the run completes: its presence marks a finished run.</summary>
    public const string Summary = "summary.json";

    /// <summary>The latest checkpoint (with .old and .tmp beside it while one is replaced).</summary>
    public const string Checkpoint = "checkpoint";

    /// <summary>A labelled task's held-out rows, as the run split them.</summary>
    public const string HeldOut = "held-out.json";

    /// <summary>`minrnn eval --seq-len T` writes eval-TT.json (e.g. eval-T512.json).</summary>
    public const string EvalPattern = "eval-*.json";

    /// <summary>The eval file of an evaluation labelled LABEL (the task's, e.g. T512).</summary>
    public static string Eval(string label) => $"eval-{label}.json";

    /// <summary>`minrnn explain`'s scores, in the run folder or in its explain/ folder.</summary>
    public const string Explain = "explain.json";
    public const string ExplainFolder = "explain";

    /// <summary>`train --force` trains here, inside the run folder, and swaps the complete run in.</summary>
    public const string ForceFolder = ".force-new";

    /// <summary>Where the swap parks the old run's files while the new ones move in.</summary>
    public const string ReplacedFolder = ".replaced";
}
