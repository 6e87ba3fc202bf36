using MinRnn.Tasks;
using MinRnn.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MinRnn.Tests.Training;

/// <summary>The contract's loss and metrics against their version-1 and brute-force definitions.</summary>
public class EvaluatorTests
{
    [Fact]
    public void SelectiveCopyingLossIsVersionOnesLastKOutputsBitForBit()
    {
        var task = new SelectiveCopying(SeqLen: 20, Tokens: 3, Vocab: 7);
        using var batch = task.Sample(5, 11, TaskSplit.Train);
        using var copy = task.Sample(5, 11);
        var logits = randn([5, 23, 7], generator: new Generator(3));
        // version 1: cross-entropy over the last K outputs against the K data tokens
        var v1 = F.cross_entropy(logits.narrow(1, 20, 3).reshape(-1, 7), copy.Targets.reshape(-1)).item<float>();
        Assert.Equal(v1, Evaluator.Loss(logits, batch.Targets).item<float>());
    }

    [Fact]
    public void UnscoredPositionsDoNotCount()
    {
        using var batch = new BucketSort(SeqLen: 6, Alphabet: 3).Sample(4, 2, TaskSplit.Evaluation);
        var logits = randn([4, 12, 4], generator: new Generator(1));
        var changed = logits.clone();
        changed.narrow(1, 0, 6).add_(100);                                  // the string positions are not scored
        Assert.Equal(Evaluator.Loss(logits, batch.Targets).item<float>(), Evaluator.Loss(changed, batch.Targets).item<float>());
    }

    [Fact]
    public void AccuraciesMatchACountByHand()
    {
        // a model stand-in: logits that predict the right answer except on chosen (row, step) pairs
        using var batch = new BucketSort(SeqLen: 4, Alphabet: 3).Sample(6, 9, TaskSplit.Evaluation);
        var targets = batch.Targets.data<long>().ToArray();
        var logits = zeros(6, 8, 4);
        var wrong = new HashSet<(int, int)> { (0, 4), (0, 5), (3, 7) };
        for (var b = 0; b < 6; b++)
            for (var t = 4; t < 8; t++)
            {
                var y = targets[b * 8 + t];
                logits[b, t, wrong.Contains((b, t)) ? (y + 1) % 3 : y] = 5f;
            }
        var score = Evaluator.Score(logits, batch.Targets);
        Assert.Equal(24, score.Answers);                                     // 6 rows × 4 sorted tokens
        Assert.Equal(21, score.Correct);                                     // 3 answers wrong
        Assert.Equal(4, score.Exact);                                        // rows 0 and 3 have a wrong answer
    }
}
