using MinRnn.Cells;
using MinRnn.Explain.Attribution;
using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Explain.Decomposition;

/// <summary>The exact recurrence decomposition as an attribution method (minGRU, minLSTM, Mamba): row `step` of the
/// layer rollout. It explains the hidden state, so the target class does not change it.</summary>
public sealed class DecompositionAttribution : IAttributionMethod
{
    public string Name => "decomposition";

    public bool AppliesTo(CellKind kind) => Rollout.AppliesTo(kind);

    public Tensor Attribute(SequenceModel model, Tensor tokens, AttributionTargets targets)
    {
        InputCheck.Targets(model, tokens, targets);
        using var scope = NewDisposeScope();
        var device = model.parameters().First().device;
        var rollout = Rollout.Of(model, tokens.to(device));                 // (B, L, L)
        var steps = tensor(targets.Steps.Select(s => (long)s).ToArray(), device: device);
        return rollout.index_select(1, steps).MoveToOuterDisposeScope();     // (B, S, L)
    }
}
