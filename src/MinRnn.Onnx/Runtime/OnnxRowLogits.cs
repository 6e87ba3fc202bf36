using MinRnn.Runtime;
using MinRnn.Onnx.Format;
using MinRnn.Tasks;

namespace MinRnn.Onnx.Runtime;

/// <summary>An exported model on labelled rows (classify, label) of any lengths, as Training/RowLogits runs the checkpoint:
/// the rows (already checked against the task's form and F) in the model's input form — token ids, or numeric steps
/// that the graph standardises — a padded batch per call, each row's logits at its own steps.</summary>
public static class OnnxRowLogits
{
    /// <summary>Each row's logits, its steps (≤ T) × vocab row-major, in the rows' order. A file whose task and graph
    /// disagree on the input (form or F) is a one-line BadFileException (a foreign or damaged file: bad input).</summary>
    public static float[][] Of(OnnxModel model, LabelledTask task, IReadOnlyList<LabelledRow> rows, int batchSize)
    {
        if (task.InputFeatures != model.Input.Features)
            throw new BadFileException($"the model's task reads {Describe(task.InputFeatures)} but its graph reads {model.Input}");
        var predictions = model.Input.Form == InputForm.Features
            ? model.Predict([.. rows.Select(task.EncodeSteps)], batchSize)
            : model.Predict([.. rows.Select(task.Encode)], batchSize);
        return [.. predictions.Select(p => p.Logits)];
    }

    private static string Describe(int? features) => features is { } f ? $"numeric steps of F = {f} features" : "token ids";
}
