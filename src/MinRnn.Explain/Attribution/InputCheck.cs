using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Explain.Attribution;

/// <summary>Clear errors for inputs a model cannot explain: wrong shape, dtype or vocabulary, targets out of range.</summary>
public static class InputCheck
{
    public static void Tokens(SequenceModel model, Tensor tokens)
    {
        if (tokens.dim() != 2 || tokens.dtype != int64)
            throw new ArgumentException($"tokens: expected a (batch, length) int64 tensor, got {tokens.dtype} ({string.Join(", ", tokens.shape)})");
        if (tokens.numel() == 0) throw new ArgumentException("tokens: empty input");
        var (min, max) = (tokens.min().item<long>(), tokens.max().item<long>());
        if (min < 0 || max >= model.Config.Vocab)
            throw new ArgumentException($"tokens: ids must lie in [0, {model.Config.Vocab - 1}] (the model's vocabulary), got [{min}, {max}]");
    }

    public static void Targets(SequenceModel model, Tensor tokens, AttributionTargets targets)
    {
        Tokens(model, tokens);
        var length = tokens.shape[1];
        if (targets.Count == 0) throw new ArgumentException("targets: no output step given");
        foreach (var s in targets.Steps)
            if (s < 0 || s >= length) throw new ArgumentException($"targets: output step {s} is outside the input length {length}");
        if (targets.Classes.dim() != 2 || targets.Classes.shape[0] != tokens.shape[0] || targets.Classes.shape[1] != targets.Count)
            throw new ArgumentException($"targets: classes must be (batch {tokens.shape[0]}, steps {targets.Count}), got ({string.Join(", ", targets.Classes.shape)})");
        var (min, max) = (targets.Classes.min().item<long>(), targets.Classes.max().item<long>());
        if (min < 0 || max >= model.Config.Vocab)
            throw new ArgumentException($"targets: classes must lie in [0, {model.Config.Vocab - 1}], got [{min}, {max}]");
    }
}
