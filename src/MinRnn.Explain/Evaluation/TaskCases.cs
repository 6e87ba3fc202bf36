using MinRnn.Explain.Attribution;
using MinRnn.Models;
using MinRnn.Tasks;
using static TorchSharp.torch;

namespace MinRnn.Explain.Evaluation;

/// <summary>The explanation cases of a task batch with a relevance mask: for example b and its a-th scored step
/// Targets.Steps[a], the logit of the target token Targets.Classes[b, a]; the ground truth is Mask[b, a] (B, A, L),
/// the batch's Relevance. Filler is the task's uninformative token: the IG "noise" baseline, the occlusion token
/// and the "removed" token of the perturbation curves.</summary>
public sealed record TaskCases(Tensor Tokens, AttributionTargets Targets, Tensor Mask, long Filler)
{
    /// <summary>Cases of a batch whose rows all score the same steps (true of every task with a mask); ArgumentException
    /// when the task has no mask or filler, the model another vocabulary, or rows score different steps.</summary>
    public static TaskCases Of(SequenceModel model, ISequenceTask task, TaskBatch batch)
    {
        Check(model, task, batch.Inputs);
        if (batch.Relevance is null) throw new ArgumentException($"task: {task.Name} defines no relevance mask");
        var filler = task.Filler ?? throw new ArgumentException($"task: {task.Name} has no filler token");
        var scored = batch.Scored;                                             // (B, L)
        if (!scored.eq(scored[0].unsqueeze(0)).all().item<bool>())
            throw new ArgumentException($"task: rows of this {task.Name} batch score different steps; explain needs the same steps in every row");
        var steps = scored[0].nonzero().squeeze(1).data<long>().Select(s => (int)s).ToArray();
        if (steps.Length != batch.Relevance.shape[1])
            throw new ArgumentException($"task: {steps.Length} scored steps but {batch.Relevance.shape[1]} relevance rows");
        var index = tensor(steps.Select(s => (long)s).ToArray());
        var classes = batch.Targets.index_select(1, index);                    // (B, A)
        return new TaskCases(batch.Inputs, new AttributionTargets(steps, classes), batch.Relevance, filler);
    }

    /// <summary>The model must speak the task's vocabulary and the inputs must be valid tokens of it.</summary>
    public static void Check(SequenceModel model, ISequenceTask task, Tensor inputs)
    {
        task.Validate();
        if (model.Config.Vocab != task.Vocabulary.Size)
            throw new ArgumentException($"vocab: the model has {model.Config.Vocab} tokens, the task {task.Vocabulary.Size}");
        InputCheck.Tokens(model, inputs);
    }

    /// <summary>Flattens (B, A, …) per-case tensors to (B·A, …) rows in the order of Rows().</summary>
    public static Tensor Flatten(Tensor perCase) => perCase.reshape([-1, .. perCase.shape[2..]]);

    /// <summary>(tokens, step, class) of every case as (B·A, L), (B·A), (B·A).</summary>
    public (Tensor Tokens, Tensor Steps, Tensor Classes) Rows()
    {
        var (b, a) = (Tokens.shape[0], (long)Targets.Count);
        var steps = tensor(Targets.Steps.Select(s => (long)s).ToArray()).repeat(b);
        return (Tokens.repeat_interleave(a, 0), steps, Targets.Classes.reshape(-1));
    }
}
