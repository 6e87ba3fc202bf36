using MinRnn.Models;
using MinRnn.Tasks;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MinRnn.Training;

/// <summary>Loss and accuracy on a task's scored positions: token accuracy over all answers, and whole-answer
/// (sequence) accuracy, the share of rows whose every answer is right.</summary>
public readonly record struct Evaluation(double Loss, double Accuracy, double SequenceAccuracy);

public static class Evaluator
{
    /// <summary>Mean cross-entropy over the scored positions: logits (B, L, V), targets (B, L) with
    /// TaskBatch.IgnoreIndex elsewhere. The answers are gathered in time order, so for selective copying this is the
    /// same tensor as the last K outputs (and the same number as version 1).</summary>
    public static Tensor Loss(Tensor logits, Tensor targets)
    {
        var (answers, classes) = Answers(logits, targets);
        return F.cross_entropy(answers, classes);
    }

    /// <summary>Logits (N, V) and classes (N) of the N scored positions, row by row in time order.</summary>
    public static (Tensor Logits, Tensor Classes) Answers(Tensor logits, Tensor targets)
    {
        var scored = targets.ne(TaskBatch.IgnoreIndex);
        var vocab = logits.shape[2];
        return (logits.masked_select(scored.unsqueeze(-1)).view(-1, vocab), targets.masked_select(scored));
    }

    /// <summary>Sums over a batch: loss × answers, right answers, rows whose every answer is right, and answers.</summary>
    public static (double LossSum, long Correct, long Exact, long Answers) Score(Tensor logits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var (scored, classes) = Answers(logits, targets);
        var count = classes.shape[0];
        var wrong = logits.argmax(-1).ne(targets).logical_and(targets.ne(TaskBatch.IgnoreIndex));   // (B, L), scored steps only
        return (F.cross_entropy(scored, classes).item<float>() * (double)count, count - wrong.sum().item<long>(),
            wrong.any(1).logical_not().sum().item<long>(), count);
    }

    /// <summary>Mean loss, token accuracy and whole-answer accuracy on a fixed batch, in chunks of `chunk` rows.</summary>
    public static Evaluation Evaluate(SequenceModel model, TaskBatch data, int chunk = 256)
    {
        var device = model.parameters().First().device;
        var rows = data.Inputs.shape[0];
        double loss = 0, correct = 0, exact = 0, answers = 0;
        var wasTraining = model.training;
        model.eval();
        using (no_grad())
            for (long start = 0; start < rows; start += chunk)
            {
                using var scope = NewDisposeScope();
                var n = Math.Min(chunk, rows - start);
                var inputs = data.Inputs.narrow(0, start, n).to(device);
                var targets = data.Targets.narrow(0, start, n).to(device);
                var score = Score(model.Logits(inputs), targets);
                (loss, correct, exact, answers) = (loss + score.LossSum, correct + score.Correct, exact + score.Exact, answers + score.Answers);
            }
        model.train(wasTraining);
        return new Evaluation(loss / answers, correct / answers, exact / rows);
    }
}
