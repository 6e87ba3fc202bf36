using MinRnn.Onnx.Format;

namespace MinRnn.ML;

/// <summary>One recurrent state of a MinRnn model: the graph output that returns it after the last token
/// (e.g. <c>final_state_h_0</c>) and its shape without the batch dimension; −1 marks a dimension that grows with the
/// sequence (the transformer's key–value cache, one entry per token so far).</summary>
public sealed record SequenceModelState(string Name, string OutputName, long[] Shape)
{
    /// <summary>Whether the state has a dimension that grows with the sequence: its column is a variable-length vector.</summary>
    public bool Grows => Shape.Contains(Signature.GrowingDim);
}

/// <summary>What a MinRnn ONNX file says about itself (its <c>metadata_props</c>, written by <c>minrnn export</c>):
/// enough to apply it without the user passing any shape.</summary>
/// <param name="Cell">The recurrent cell: mingru, minlstm, gru or lstm.</param>
/// <param name="Layers">The number of blocks.</param>
/// <param name="Vocab">The vocabulary size: token ids are in [0, Vocab).</param>
/// <param name="Dim">The model width d.</param>
/// <param name="Form">How the recurrence is exported: scan, chunked or native.</param>
/// <param name="Task">The task the model was trained on, as the file names it: a registry name (<c>parity</c>,
/// <c>associative-recall</c>, …) or <see cref="SelectiveCopyingTask"/>.</param>
/// <param name="TaskSeqLen">The task's length option T.</param>
/// <param name="TaskTokens">Selective copying only: K, the number of data tokens; −1 for every other task.</param>
/// <param name="MarkerToken">Selective copying only: the "copy now" marker's id; −1 for every other task (see
/// <see cref="SpecialTokens"/>).</param>
/// <param name="NoiseToken">Selective copying only: the noise token's id; −1 for every other task (see
/// <see cref="SpecialTokens"/>).</param>
/// <param name="States">The recurrent states, in graph order.</param>
/// <param name="ModelConfigJson">The model's configuration (JSON, as in a run's config.json).</param>
/// <param name="MinRnnVersion">The MinRnn version that exported the file.</param>
public sealed record SequenceModelInfo(
    string Cell, int Layers, int Vocab, int Dim, string Form, string Task, int TaskSeqLen, int TaskTokens,
    long MarkerToken, long NoiseToken, IReadOnlyList<SequenceModelState> States, string ModelConfigJson, string MinRnnVersion)
{
    /// <summary>The name of the model's token input (int64, [batch, time]).</summary>
    public const string TokensInput = Signature.Tokens;
    /// <summary>The name of the model's logits output (float, [batch, time, vocab]).</summary>
    public const string LogitsOutput = Signature.Logits;
    /// <summary>The name of the model's predictions output (int64, [batch, time], argmax of the logits).</summary>
    public const string PredictionsOutput = Signature.Predictions;
    /// <summary>The <see cref="Task"/> of a selective-copying model (its name in MinRnn files since version 1).</summary>
    public const string SelectiveCopyingTask = MetadataKeys.SelectiveCopyingTask;

    /// <summary>The task's options, as <c>minrnn train --task-opt KEY=VALUE</c> takes them: option name (snake_case) →
    /// value as text (numbers in the invariant culture, <c>true</c>/<c>false</c>, strings unquoted); e.g. parity:
    /// <c>seq_len</c> → <c>"32"</c>, so <c>int.Parse(info.TaskOptions["seq_len"])</c>. Files exported before the
    /// metadata held options (selective copying only) give <c>seq_len</c>, <c>tokens</c> and <c>vocab</c>.</summary>
    public IReadOnlyDictionary<string, string> TaskOptions { get; init; } = new Dictionary<string, string>();

    /// <summary>The task's named special tokens → id (e.g. parity: <c>query</c>; associative recall: <c>filler</c>;
    /// selective copying: <c>marker</c> and <c>noise</c>, also for files exported before this entry existed).</summary>
    public IReadOnlyDictionary<string, long> SpecialTokens { get; init; } = new Dictionary<string, long>();

    /// <summary>Reads the metadata of a MinRnn ONNX file; a one-line <see cref="InvalidDataException"/> for a file that is
    /// not ONNX, truncated, or not exported by MinRnn.</summary>
    public static SequenceModelInfo Read(string path) => From(ModelHeader.Read(path));

    /// <summary>The format's header as this component's public record.</summary>
    internal static SequenceModelInfo From(ModelHeader h) =>
        new(h.Cell, h.Layers, h.Vocab, h.Dim, h.Form, h.Task.Name, h.Task.SeqLen, h.Task.Tokens, h.Task.MarkerToken, h.Task.NoiseToken,
            h.States.Select(s => new SequenceModelState(s.Name, s.OutputName, s.Shape)).ToList(), h.ModelConfigJson, h.MinRnnVersion)
        {
            TaskOptions = h.Task.Options, SpecialTokens = h.Task.SpecialTokens,
        };
}
