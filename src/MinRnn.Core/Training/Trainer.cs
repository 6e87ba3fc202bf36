using MinRnn.Runs;
using System.Diagnostics;
using MinRnn.Models;
using MinRnn.Runtime;
using MinRnn.Tasks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MinRnn.Training;

/// <summary>What the trainer reports after every step; Eval is set on evaluation steps.</summary>
public sealed record TrainProgress(int Step, int Steps, double Loss, double StepsPerSecond, Evaluation? Eval);

/// <summary>Trains a SequenceModel on any task: AdamW, gradient clipping, optional warm-up and cosine
/// schedule, periodic evaluation on a fixed set, metrics as JSON lines, atomic checkpoints and exact resume.</summary>
public static class Trainer
{
    public static RunSummary Run(RunConfig config, string runDir, bool resume = false,
        Action<TrainProgress>? progress = null, CancellationToken cancel = default)
    {
        config.Validate();
        var (task, train) = (config.Task, config.Train);
        var device = Devices.Resolve(train.Device);

        random.manual_seed(Seeds.Initialisation(train.Seed));
        using var model = new SequenceModel(config.Model);
        if (task.InputStandardisation is { } standardisation)             // before --init-from or a checkpoint, which bring their own
            model.SetStandardisation(standardisation.Mean, standardisation.Std);
        model.to(device);
        using var optimizer = optim.AdamW(model.parameters(), lr: train.Lr, weight_decay: train.WeightDecay);

        var (start, elapsed, lossSum, lossCount) = (0, 0.0, 0.0, 0);
        var resuming = resume && Checkpoint.Exists(runDir);
        if (!resuming && train.InitFrom is not null)
            SafeTensors.LoadInto(model, train.InitFrom);
        Directory.CreateDirectory(runDir);                              // after --init-from, so a bad file leaves no run behind
        RunFiles.WriteAtomic(Path.Combine(runDir, RunFiles.Config), config.ToJson());
        if (resuming)
        {
            var state = Checkpoint.ReadState(runDir);
            if (state.Config != config)
                throw new CheckpointException($"{Path.Combine(runDir, Checkpoint.Folder)}: checkpoint was written for a different configuration");
            Checkpoint.Load(runDir, model, optimizer);
            (start, elapsed, lossSum, lossCount) = (state.Step, state.ElapsedSeconds, state.TrainLossSum, state.TrainLossCount);
        }
        RunFiles.TruncateMetrics(runDir, start);

        if (task is IFileTask files)
            foreach (var (name, text) in files.RunFiles()) RunFiles.WriteAtomic(Path.Combine(runDir, name), text);
        using var evalSet = task.Sample(train.EvalSize, Seeds.Evaluation(train.Seed), TaskSplit.Evaluation);
        var clock = Stopwatch.StartNew();
        var last = new Evaluation(double.NaN, double.NaN, double.NaN);
        model.train();
        for (var step = start + 1; step <= train.Steps; step++)
        {
            if (cancel.IsCancellationRequested)
            {
                if (step - 1 > start)
                    Checkpoint.Save(runDir, model, optimizer, new TrainingState(RunConfig.FormatVersion, step - 1, elapsed + clock.Elapsed.TotalSeconds, lossSum, lossCount, config));
                cancel.ThrowIfCancellationRequested();
            }
            var lr = train.LearningRate(step);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            var loss = TrainStep(model, optimizer, task, train, device, step);
            (lossSum, lossCount) = (lossSum + loss, lossCount + 1);

            var seconds = elapsed + clock.Elapsed.TotalSeconds;
            Evaluation? eval = null;
            if (step % train.EvalEvery == 0 || step == train.Steps)
            {
                last = Evaluator.Evaluate(model, evalSet, classes: task.Classes, objective: task.Objective);
                eval = last;
                RunFiles.AppendMetrics(runDir, new MetricsLine(step, last.Loss, last.Accuracy, last.SequenceAccuracy,
                    lossSum / lossCount, lr, Math.Round(seconds, 3)) { TaskMetrics = TaskMetricValues.Of(task.Measure(last), only: task.Metrics) });
                TestHooks.Kill(TestHooks.MetricsAppended, step);
                (lossSum, lossCount) = (0, 0);
            }
            if (step % train.CheckpointEvery == 0 || step == train.Steps)
                Checkpoint.Save(runDir, model, optimizer, new TrainingState(RunConfig.FormatVersion, step, seconds, lossSum, lossCount, config));
            progress?.Invoke(new TrainProgress(step, train.Steps, loss, (step - start) / Math.Max(1e-9, clock.Elapsed.TotalSeconds), eval));
        }
        if (start >= train.Steps)
            last = Evaluator.Evaluate(model, evalSet, classes: task.Classes, objective: task.Objective);

        var total = elapsed + clock.Elapsed.TotalSeconds;
        var summary = new RunSummary(config.Model.Cell, config.Model.Layers, train.Seed,
            task.Summary(), train.Steps,
            model.ParameterCount, last.Loss, last.Accuracy, last.SequenceAccuracy, Math.Round(total, 3),
            device.type.ToString().ToLowerInvariant(), RunFiles.Version, config, config.Model.Dim, config.Model.ParamsTarget)
        {
            TaskMetrics = TaskMetricValues.Of(task.Measure(last), prefix: RunFields.TestPrefix),
        };
        TestHooks.Kill(TestHooks.Summary, train.Steps);
        RunFiles.WriteSummary(runDir, summary);
        return summary;
    }

    private static double TrainStep(SequenceModel model, AdamW optimizer, ISequenceTask task, TrainOptions train, Device device, int step)
    {
        using var scope = NewDisposeScope();
        using var batch = task.Sample(train.Batch, Seeds.TrainBatch(train.Seed, step), TaskSplit.Train);
        optimizer.zero_grad();
        var logits = model.Logits(batch.Inputs.to(device));
        var loss = Evaluator.Loss(logits, batch.Targets.to(device), task.Objective);
        loss.backward();
        if (train.Clip > 0)
            nn.utils.clip_grad_norm_(model.parameters(), train.Clip);
        optimizer.step();
        return loss.item<float>();
    }
}
