using MinRnn.Models;
using MinRnn.Tasks;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MinRnn.Training;

/// <summary>Loss and accuracy on a task's scored positions: token accuracy over all answers, and whole-answer
/// (sequence) accuracy, the share of rows whose every answer is right. Confusion (for a task with classes): counts
/// [true class, predicted class] over the scored positions; null otherwise. Outputs (a regression task, TaskLoss other than
/// CrossEntropy): the model's H outputs at the last step of every evaluated row, row-major (B × H); accuracies are then NaN.</summary>
public readonly record struct Evaluation(double Loss, double Accuracy, double SequenceAccuracy, long[,]? Confusion = null, float[]? Outputs = null);

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

    /// <summary>The task's loss (ISequenceTask.Objective): cross-entropy as above, or for a regression task the mean squared
    /// or absolute error of the last step's H outputs, logits (B, L, H)[:, −1], against targets (B, H).</summary>
    public static Tensor Loss(Tensor logits, Tensor targets, TaskLoss objective) => objective switch
    {
        TaskLoss.CrossEntropy => Loss(logits, targets),
        TaskLoss.SquaredError => F.mse_loss(LastStep(logits), targets),
        TaskLoss.AbsoluteError => F.l1_loss(LastStep(logits), targets),
        _ => throw new ArgumentException($"objective: {objective} is not a loss"),
    };

    /// <summary>The outputs at the last step: (B, L, H) → (B, H).</summary>
    public static Tensor LastStep(Tensor logits) => logits.select(1, -1);

    /// <summary>Logits (N, V) and classes (N) of the N scored positions, row by row in time order.</summary>
    public static (Tensor Logits, Tensor Classes) Answers(Tensor logits, Tensor targets)
    {
        var scored = targets.ne(TaskBatch.IgnoreIndex);
        var vocab = logits.shape[2];
        return (logits.masked_select(scored.unsqueeze(-1)).view(-1, vocab), targets.masked_select(scored));
    }

    /// <summary>Sums over a batch: loss × answers, right answers, rows whose every answer is right, and answers.</summary>
    public static (double LossSum, long Correct, long Exact, long Answers) Score(Tensor logits, Tensor targets) =>
        Score(logits, targets, null, null);

    /// <summary>As above; with classes, the answer is the most probable class (the argmax over the class tokens only)
    /// and `confusion` (C × C) gains the [true, predicted] counts of the batch.</summary>
    public static (double LossSum, long Correct, long Exact, long Answers) Score(Tensor logits, Tensor targets, ClassTokens? classes, long[,]? confusion)
    {
        using var scope = NewDisposeScope();
        var (scored, answers) = Answers(logits, targets);
        var count = answers.shape[0];
        var predicted = classes is null ? logits.argmax(-1) : logits.narrow(-1, classes.First, classes.Count).argmax(-1) + classes.First;
        var wrong = predicted.ne(targets).logical_and(targets.ne(TaskBatch.IgnoreIndex));   // (B, L), scored steps only
        if (classes is not null && confusion is not null) Count(confusion, answers, predicted.masked_select(targets.ne(TaskBatch.IgnoreIndex)), classes);
        return (F.cross_entropy(scored, answers).item<float>() * (double)count, count - wrong.sum().item<long>(),
            wrong.any(1).logical_not().sum().item<long>(), count);
    }

    /// <summary>Adds [true, predicted] pairs of class tokens (N) to the C × C counts; a target outside the classes is not counted.</summary>
    private static void Count(long[,] confusion, Tensor truth, Tensor predicted, ClassTokens classes)
    {
        var (t, p) = (truth.cpu().data<long>().ToArray(), predicted.cpu().data<long>().ToArray());
        for (var i = 0; i < t.Length; i++)
        {
            var c = t[i] - classes.First;
            if (c >= 0 && c < classes.Count) confusion[c, p[i] - classes.First]++;
        }
    }

    /// <summary>Mean loss, token accuracy and whole-answer accuracy on a fixed batch, in chunks of `chunk` rows; with
    /// classes, answers are read as classes and the confusion matrix is counted. A regression objective gives the mean loss
    /// over the rows (each the mean over its H values) and every row's last-step outputs instead.</summary>
    public static Evaluation Evaluate(SequenceModel model, TaskBatch data, int chunk = 256, ClassTokens? classes = null, TaskLoss objective = TaskLoss.CrossEntropy)
    {
        var rows = data.Inputs.shape[0];
        if (objective != TaskLoss.CrossEntropy)
        {
            var (sum, outputs) = (0.0, new List<float>());
            InChunks(model, data, chunk, (logits, targets, n) =>
            {
                sum += Loss(logits, targets, objective).item<float>() * (double)n;
                outputs.AddRange(LastStep(logits).cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray());
            });
            return new Evaluation(sum / rows, double.NaN, double.NaN, null, [.. outputs]);
        }
        var confusion = classes is null ? null : new long[classes.Count, classes.Count];
        double loss = 0, correct = 0, exact = 0, answers = 0;
        InChunks(model, data, chunk, (logits, targets, _) =>
        {
            var score = Score(logits, targets, classes, confusion);
            (loss, correct, exact, answers) = (loss + score.LossSum, correct + score.Correct, exact + score.Exact, answers + score.Answers);
        });
        return new Evaluation(loss / answers, correct / answers, exact / rows, confusion);
    }

    /// <summary>The model in evaluation mode without gradients on `chunk` rows at a time: logits (n, L, V) and targets of
    /// each chunk, on the model's device; temporaries disposed per chunk, the training mode restored.</summary>
    private static void InChunks(SequenceModel model, TaskBatch data, int chunk, Action<Tensor, Tensor, long> score)
    {
        var device = model.parameters().First().device;
        var rows = data.Inputs.shape[0];
        var wasTraining = model.training;
        model.eval();
        using (no_grad())
            for (long start = 0; start < rows; start += chunk)
            {
                using var scope = NewDisposeScope();
                var n = Math.Min(chunk, rows - start);
                score(model.Logits(data.Inputs.narrow(0, start, n).to(device)), data.Targets.narrow(0, start, n).to(device), n);
            }
        model.train(wasTraining);
    }
}
