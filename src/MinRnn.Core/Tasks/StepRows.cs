using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace MinRnn.Tasks;

/// <summary>The evaluation rows of a task of numeric steps that `explain` attributes over steps × features
/// (ISequenceTask.ExplainRows; docs/EXPLAIN.md, "Numeric steps").</summary>
/// <param name="Inputs">The rows' steps (B, L, F) float32, in the units the model reads before its standardisation.</param>
/// <param name="Steps">Each row's explained step: the last one it reads.</param>
/// <param name="Classes">The class token whose logit is explained at that step; null: the sum of the model's H outputs
/// there (a regression task).</param>
/// <param name="Ids">Each row's identifying fields, first in its example of explain.json.</param>
/// <param name="Target">What is explained, in words (explain.json's "target").</param>
public sealed record StepRows(Tensor Inputs, long[] Steps, long[]? Classes, IReadOnlyList<JsonObject> Ids, string Target) : IDisposable
{
    public void Dispose() => Inputs.Dispose();
}
