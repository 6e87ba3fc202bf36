using MinRnn.Models;
using MinRnn.Tasks;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MinRnn.Training;

/// <summary>Loss and accuracy on selective copying, read from the last K outputs only.</summary>
public readonly record struct Evaluation(double Loss, double Accuracy, double SequenceAccuracy);

public static class Evaluator
{
    /// <summary>Cross-entropy over the K answer positions: logits (B, T + K, V), targets (B, K).</summary>
    public static Tensor CopyLoss(Tensor logits, Tensor targets)
    {
        var k = targets.shape[1];
        var answer = logits.narrow(1, logits.shape[1] - k, k);
        return F.cross_entropy(answer.reshape(-1, answer.shape[2]), targets.reshape(-1));
    }

    /// <summary>Mean loss, token accuracy and whole-sequence accuracy on a fixed batch, in chunks of `chunk` rows.</summary>
    public static Evaluation Evaluate(SequenceModel model, CopyBatch data, int chunk = 256)
    {
        var device = model.parameters().First().device;
        var rows = data.Inputs.shape[0];
        var k = data.Targets.shape[1];
        double loss = 0, correct = 0, exact = 0;
        var wasTraining = model.training;
        model.eval();
        using (no_grad())
            for (long start = 0; start < rows; start += chunk)
            {
                using var scope = NewDisposeScope();
                var n = Math.Min(chunk, rows - start);
                var inputs = data.Inputs.narrow(0, start, n).to(device);
                var targets = data.Targets.narrow(0, start, n).to(device);
                var logits = model.Logits(inputs);
                loss += CopyLoss(logits, targets).item<float>() * n;
                var hits = logits.narrow(1, logits.shape[1] - k, k).argmax(-1).eq(targets);
                correct += hits.sum().item<long>();
                exact += hits.all(1).sum().item<long>();
            }
        model.train(wasTraining);
        return new Evaluation(loss / rows, correct / (rows * (double)k), exact / rows);
    }
}
