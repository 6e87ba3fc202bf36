using System.Text.Json.Nodes;
using MinRnn.Explain.Attribution;
using MinRnn.Tasks;
using MinRnn.Training;
using static TorchSharp.torch;

namespace MinRnn.Explain.Study;

/// <summary>`minrnn explain` on a run of numeric steps (classify, label, forecast; docs/EXPLAIN.md, "Numeric steps"): for
/// each evaluation row the task names (ISequenceTask.ExplainRows), its output at its last step read (classify/label: the
/// logit of its true class; forecast: F = Σ_h ŷ_h, the sum of its H standardised forecasts), attributed over steps ×
/// features by gradient × input on the standardised features and over steps by occlusion with the training mean
/// (StepFeatureAttribution). The user's rows carry no ground truth of what matters, so nothing is scored: explain.json
/// holds each row's attributions and their means per feature and per distance from the row's end (for a forecast
/// window, d = 0 is its origin and d = S one season back).</summary>
public static class StepFeatureStudy
{
    public const int Version = 1;

    public static readonly string[] Methods = ["ixg", "occlusion"];

    /// <summary>explain.json of the run's first `samples` evaluation rows (all of them when fewer); `method`: all or one of
    /// Methods. ArgumentException for a run that does not read numeric steps.</summary>
    public static JsonObject Run(string runDir, string method, int samples, string deviceName)
    {
        var config = RunFiles.ReadConfig(runDir);
        var task = config.Task;
        if (task.InputFeatures is not { } features)
            throw new ArgumentException($"--run: {runDir} is not a run of numeric steps (its task is {task.Name})");
        var names = MethodsOf(method);
        var device = Devices.Resolve(deviceName);
        using var model = Checkpoint.LoadModel(runDir, device);
        using var scope = NewDisposeScope();
        using var rows = task.ExplainRows(samples) ?? throw new ArgumentException($"--run: task {task.Name} names no rows for explain");
        var ixg = names.Contains("ixg") ? Rows(StepFeatureAttribution.GradientTimesInput(model, rows.Inputs, rows.Steps, rows.Classes), rows.Steps, features) : null;
        var occlusion = names.Contains("occlusion") ? Rows(StepFeatureAttribution.Occlusion(model, rows.Inputs, rows.Steps, rows.Classes), rows.Steps, 1) : null;

        var examples = new JsonArray();
        for (var b = 0; b < rows.Steps.Length; b++)
        {
            var example = (JsonObject)rows.Ids[b].DeepClone();
            example["step"] = rows.Steps[b];
            if (ixg is not null) example["ixg"] = new JsonArray([.. ixg[b].Select(step => (JsonNode)Numbers(step))]);
            if (occlusion is not null) example["occlusion"] = Numbers([.. occlusion[b].Select(step => step[0])]);
            examples.Add(example);
        }
        var json = new JsonObject
        {
            ["version"] = Version, ["run"] = runDir, ["model"] = config.Model.Cell, ["layers"] = config.Model.Layers, ["task"] = task.Summary(),
            ["samples"] = rows.Steps.Length, ["features"] = features, ["device"] = device.type.ToString().ToLowerInvariant(),
            ["target"] = rows.Target,
            ["methods"] = new JsonObject([.. names.Select(n => KeyValuePair.Create(n, (JsonNode?)Describe(n)))]),
        };
        if (ixg is not null) json["feature_importance"] = new JsonObject { ["ixg"] = Numbers(FeatureMeans(ixg, features)) };
        json["step_importance_from_end"] = new JsonObject(
            [.. new[] { ("ixg", ixg), ("occlusion", occlusion) }.Where(p => p.Item2 is not null).Select(p => KeyValuePair.Create(p.Item1, (JsonNode?)Numbers(FromEnd(p.Item2!))))]);
        json["examples"] = examples;
        return json;
    }

    /// <summary>"all" or one of Methods; ArgumentException otherwise.</summary>
    internal static string[] MethodsOf(string method) => method == "all" ? Methods : Methods.Contains(method) ? [method]
        : throw new ArgumentException($"--method: a run of numeric steps takes all|{string.Join("|", Methods)} (got {method})");

    internal static string Describe(string method) => method == "ixg"
        ? "gradient × input on the standardised features z = (s − mean) / std: z · ∂F/∂z = (s − mean) · ∂F/∂s, per step and feature, signed"
        : "F(s) − F(s with step t's features set to the training mean), per step, signed";

    /// <summary>Each row's own steps (0 … its target step) of scores (B, L[, F]) as [row][step][feature] doubles.</summary>
    internal static double[][][] Rows(Tensor scores, long[] steps, int width)
    {
        var flat = scores.cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        var length = (int)scores.shape[1];
        return [.. steps.Select((s, b) => Enumerable.Range(0, (int)s + 1).Select(t => flat.AsSpan((b * length + t) * width, width).ToArray()).ToArray())];
    }

    /// <summary>Mean |score| of each feature over every row's own steps.</summary>
    internal static double[] FeatureMeans(double[][][] rows, int features)
    {
        var count = rows.Sum(r => r.Length);
        return [.. Enumerable.Range(0, features).Select(k => rows.Sum(r => r.Sum(step => Math.Abs(step[k]))) / count)];
    }

    /// <summary>Mean over the rows long enough of Σ_features |score| at distance d from the row's target step (d = 0: that step).</summary>
    internal static double[] FromEnd(double[][][] rows) =>
        [.. Enumerable.Range(0, rows.Max(r => r.Length)).Select(d =>
            rows.Where(r => r.Length > d).Average(r => r[r.Length - 1 - d].Sum(Math.Abs)))];

    internal static JsonArray Numbers(double[] values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
}
