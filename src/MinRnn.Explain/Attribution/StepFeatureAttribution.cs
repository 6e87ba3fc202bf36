using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Explain.Attribution;

/// <summary>Attributions of a model of numeric steps (ModelConfig.Features = F) over steps × features, one target a row:
/// F_b = the logit of class Classes[b] at step Steps[b] (for classify, the row's last step) of row b of raw steps s
/// (B, L, F), rows padded after their ends. Both methods measure against the training mean, the standardisation's
/// centre, and give exactly 0 to the steps after a row's target step (causal models).</summary>
public static class StepFeatureAttribution
{
    /// <summary>Gradient × input (Shrikumar et al. 2016) on the standardised features z = (s − mean) / std the model's
    /// input projection reads: A[b, t, k] = z_{t,k} · ∂F_b/∂z_{t,k} (B, L, F), signed. As ∂F/∂z = std · ∂F/∂s, this is
    /// also (s − mean) · ∂F/∂s, the first-order Taylor term of F around the training mean, in raw units.</summary>
    public static Tensor GradientTimesInput(SequenceModel model, Tensor steps, long[] targetSteps, long[] classes)
    {
        var (mean, std) = Check(model, steps, targetSteps, classes);
        using var scope = NewDisposeScope();
        using var _ = enable_grad();
        var z = ((steps.to(mean.dtype, mean.device) - mean) / std).detach().requires_grad_(true);   // (B, L, F)
        var f = Select(model.Logits(z * std + mean), targetSteps, classes);                       // (B)
        var grad = autograd.grad([f.sum()], [z])[0];                                               // rows independent: each row's own gradient
        return Causal(z.detach() * grad, targetSteps).MoveToOuterDisposeScope();
    }

    /// <summary>Occlusion (Zeiler &amp; Fergus 2014) of whole steps: O[b, t] = F_b(s) − F_b(s with step t's F features set to
    /// the training mean) (B, L), signed; one batched forward pass per step up to the latest target step.</summary>
    public static Tensor Occlusion(SequenceModel model, Tensor steps, long[] targetSteps, long[] classes)
    {
        var (mean, _) = Check(model, steps, targetSteps, classes);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var s = steps.to(mean.dtype, mean.device);
        var f = Select(model.Logits(s), targetSteps, classes);
        var scores = zeros([s.shape[0], s.shape[1]], dtype: f.dtype, device: f.device);
        for (var t = 0; t <= targetSteps.Max(); t++)
        {
            using var step = NewDisposeScope();
            var occluded = s.clone();
            occluded.select(1, t).copy_(mean.expand(s.shape[0], -1));
            scores.select(1, t).copy_(f - Select(model.Logits(occluded), targetSteps, classes));
        }
        return Causal(scores, targetSteps).MoveToOuterDisposeScope();
    }

    /// <summary>logits[b, Steps[b], Classes[b]] (B) from logits (B, L, V).</summary>
    private static Tensor Select(Tensor logits, long[] targetSteps, long[] classes)
    {
        var (rows, vocab) = (logits.shape[0], logits.shape[2]);
        var atStep = logits.gather(1, tensor(targetSteps, device: logits.device).view(rows, 1, 1).expand(rows, 1, vocab)).squeeze(1);   // (B, V)
        return atStep.gather(1, tensor(classes, device: logits.device).view(rows, 1)).squeeze(1);
    }

    /// <summary>Scores (B, L, …) with every step after its row's target step set to exactly 0 (batched runs differ there only by rounding).</summary>
    private static Tensor Causal(Tensor scores, long[] targetSteps)
    {
        var after = arange(scores.shape[1], device: scores.device).view(1, -1).gt(tensor(targetSteps, device: scores.device).view(-1, 1));   // (B, L)
        while (after.dim() < scores.dim()) after = after.unsqueeze(-1);
        return scores.masked_fill(after, 0);
    }

    /// <summary>The model's standardisation as tensors (F) on its device; ArgumentException for a token model or a batch
    /// that does not fit it.</summary>
    private static (Tensor Mean, Tensor Std) Check(SequenceModel model, Tensor steps, long[] targetSteps, long[] classes)
    {
        var (mean, std) = model.Standardisation ?? throw new ArgumentException("model: reads token ids; steps × features attributions need a model of numeric steps");
        if (steps.dim() != 3 || steps.shape[2] != model.Config.Features || !steps.is_floating_point())
            throw new ArgumentException($"steps: expected (B, L, {model.Config.Features}) floating point, got {steps.dtype} [{string.Join(", ", steps.shape)}]");
        if (targetSteps.Length != steps.shape[0] || classes.Length != steps.shape[0])
            throw new ArgumentException($"targets: one step and one class a row ({steps.shape[0]} rows), got {targetSteps.Length} and {classes.Length}");
        if (targetSteps.Any(t => t < 0 || t >= steps.shape[1])) throw new ArgumentException($"targets: steps must lie in [0, {steps.shape[1] - 1}]");
        if (classes.Any(c => c < 0 || c >= model.Config.Vocab)) throw new ArgumentException($"targets: classes must lie in [0, {model.Config.Vocab - 1}]");
        var parameter = model.parameters().First();
        return (tensor(mean).to(parameter.dtype, parameter.device), tensor(std).to(parameter.dtype, parameter.device));
    }
}
