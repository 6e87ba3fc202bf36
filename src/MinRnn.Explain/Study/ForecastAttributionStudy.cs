using System.Text.Json.Nodes;
using MinRnn.Explain.Attribution;
using MinRnn.Tasks;
using MinRnn.Training;
using static TorchSharp.torch;

namespace MinRnn.Explain.Study;

/// <summary>`minrnn explain` on a forecast run (docs/EXPLAIN.md, "Numeric steps"): for each evaluation window, the sum of
/// its H standardised forecasts at the window's last step, F = Σ_h ŷ_h, attributed over the T past steps × features by
/// gradient × input and over steps by occlusion with the training mean (StepFeatureAttribution). explain.json holds each
/// window's attributions and their means per feature and per distance from the window's last step (d = 0: the origin,
/// d = S: one season back).</summary>
public static class ForecastAttributionStudy
{
    public static JsonObject Run(string runDir, RunConfig config, Forecast task, string method, int samples, string deviceName)
    {
        var names = StepFeatureStudy.MethodsOf(method);
        var device = Devices.Resolve(deviceName);
        using var model = Checkpoint.LoadModel(runDir, device);
        using var scope = NewDisposeScope();
        var origins = task.Windows().EvaluationSample(samples);
        var inputs = task.Inputs(task.Series(), origins);                                        // (B, T, F)
        var steps = origins.Select(_ => (long)task.SeqLen - 1).ToArray();
        var features = task.Columns.Length;
        var ixg = names.Contains("ixg") ? StepFeatureStudy.Rows(StepFeatureAttribution.GradientTimesInput(model, inputs, steps, null), steps, features) : null;
        var occlusion = names.Contains("occlusion") ? StepFeatureStudy.Rows(StepFeatureAttribution.Occlusion(model, inputs, steps, null), steps, 1) : null;

        var examples = new JsonArray();
        for (var b = 0; b < origins.Count; b++)
        {
            var example = new JsonObject { ["origin"] = origins[b], ["step"] = steps[b] };
            if (ixg is not null) example["ixg"] = new JsonArray([.. ixg[b].Select(step => (JsonNode)StepFeatureStudy.Numbers(step))]);
            if (occlusion is not null) example["occlusion"] = StepFeatureStudy.Numbers([.. occlusion[b].Select(step => step[0])]);
            examples.Add(example);
        }
        var json = new JsonObject
        {
            ["version"] = StepFeatureStudy.Version, ["run"] = runDir, ["model"] = config.Model.Cell, ["layers"] = config.Model.Layers, ["task"] = task.Summary(),
            ["samples"] = origins.Count, ["features"] = features, ["device"] = device.type.ToString().ToLowerInvariant(),
            ["target"] = $"the sum of the window's H {(task.Predict == Forecast.Change ? "forecast changes from its last target value" : "forecasts")} " +
                         "(standardised units) at its last step; origin: the window's last input row (0-based)",
            ["methods"] = new JsonObject([.. names.Select(n => KeyValuePair.Create(n, (JsonNode?)StepFeatureStudy.Describe(n)))]),
        };
        if (ixg is not null) json["feature_importance"] = new JsonObject { ["ixg"] = StepFeatureStudy.Numbers(StepFeatureStudy.FeatureMeans(ixg, features)) };
        json["step_importance_from_end"] = new JsonObject(
            [.. new[] { ("ixg", ixg), ("occlusion", occlusion) }.Where(p => p.Item2 is not null)
                .Select(p => KeyValuePair.Create(p.Item1, (JsonNode?)StepFeatureStudy.Numbers(StepFeatureStudy.FromEnd(p.Item2!))))]);
        json["examples"] = examples;
        return json;
    }
}
