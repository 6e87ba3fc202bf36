using MinRnn.Cells;
using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Explain.Attribution;

/// <summary>Occlusion (Zeiler &amp; Fergus 2014) on tokens: score_j = F(x) − F(x with token j replaced by the filler
/// token). Signed; tokens after the output step score exactly 0 (causal models), so they are not run.</summary>
/// <param name="filler">The task's filler token (ISequenceTask.Filler); null: vocab − 1, selective copying's noise.</param>
public sealed class Occlusion(int chunkRows = 2048, long? filler = null) : IAttributionMethod
{
    public string Name => "occlusion";

    public bool AppliesTo(CellKind kind) => true;

    public Tensor Attribute(SequenceModel model, Tensor tokens, AttributionTargets targets)
    {
        InputCheck.Targets(model, tokens, targets);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var device = model.parameters().First().device;
        tokens = tokens.to(device);
        var (batch, length) = (tokens.shape[0], tokens.shape[1]);
        var fill = filler ?? model.Config.Vocab - 1;
        var f = targets.Select(model.Logits(tokens));                       // (B, S)
        var scores = zeros(batch, targets.Count, length, dtype: f.dtype, device: device);
        var positions = targets.Steps.Max() + 1;
        var perChunk = Math.Max(1, (int)(chunkRows / batch));
        for (var start = 0; start < positions; start += perChunk)
        {
            using var chunk = NewDisposeScope();
            var count = Math.Min(perChunk, positions - start);
            // rows (count · B): copy c of the batch has position start + c replaced by the filler
            var occluded = tokens.repeat(count, 1);
            var rows = arange(count * batch, device: device);
            var cols = (arange(count, device: device) + start).repeat_interleave(batch);
            occluded.index_put_(tensor(fill, device: device), rows, cols);
            var repeated = targets with { Classes = targets.Classes.to(device).repeat(count, 1) };
            var fo = repeated.Select(model.Logits(occluded)).reshape(count, batch, targets.Count);
            scores.narrow(2, start, count).copy_((f.unsqueeze(0) - fo).permute(1, 2, 0));
        }
        // a causal output cannot see later tokens: set them to exactly 0 (batched runs differ by rounding)
        var steps = tensor(targets.Steps.Select(t => (long)t).ToArray(), device: device).view(1, -1, 1);
        return scores.masked_fill(arange(length, device: device).view(1, 1, -1).gt(steps), 0).MoveToOuterDisposeScope();
    }
}
