using MinRnn.Explain.Attribution;
using MinRnn.Models;
using MinRnn.Tasks;
using static TorchSharp.torch;

namespace MinRnn.Explain.Evaluation;

/// <summary>The explanation cases of a selective-copying batch: for example b and answer k, output step T + k must
/// reproduce Targets[b, k], the data token at Positions[b, k]; that position is the ground truth. Mask is
/// (B, K, L) with exactly that position set.</summary>
public sealed record CopyCases(Tensor Tokens, AttributionTargets Targets, Tensor Mask)
{
    public static CopyCases Of(SequenceModel model, SelectiveCopying task, CopyBatch batch)
    {
        Check(model, task, batch.Inputs);
        var k = task.Tokens;
        var steps = Enumerable.Range(task.SeqLen, k).ToArray();
        var mask = zeros(batch.Inputs.shape[0], k, task.InputLength, dtype: @bool)
            .scatter_(2, batch.Positions.unsqueeze(2), ones(batch.Inputs.shape[0], k, 1, dtype: @bool));
        return new CopyCases(batch.Inputs, new AttributionTargets(steps, batch.Targets), mask);
    }

    /// <summary>The model must speak the task's vocabulary and the inputs must have the task's length T + K.</summary>
    public static void Check(SequenceModel model, SelectiveCopying task, Tensor inputs)
    {
        task.Validate();
        if (model.Config.Vocab != task.Vocab)
            throw new ArgumentException($"vocab: the model has {model.Config.Vocab} tokens, the task {task.Vocab}");
        if (inputs.dim() != 2 || inputs.shape[1] != task.InputLength)
            throw new ArgumentException($"inputs: expected length T + K = {task.InputLength}, got ({string.Join(", ", inputs.shape)})");
        InputCheck.Tokens(model, inputs);
    }

    /// <summary>Flattens (B, K, …) per-case tensors to (B·K, …) rows in the order of Rows().</summary>
    public static Tensor Flatten(Tensor perCase) => perCase.reshape([-1, .. perCase.shape[2..]]);

    /// <summary>(tokens, step, class) of every case as (B·K, L), (B·K), (B·K).</summary>
    public (Tensor Tokens, Tensor Steps, Tensor Classes) Rows()
    {
        var (b, k) = (Tokens.shape[0], (long)Targets.Count);
        var steps = tensor(Targets.Steps.Select(s => (long)s).ToArray()).repeat(b);
        return (Tokens.repeat_interleave(k, 0), steps, Targets.Classes.reshape(-1));
    }
}
