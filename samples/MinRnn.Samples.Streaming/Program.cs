// Streaming: a recurrent model needs only its state to go on. Every shipped model reads one selective-copying example
// (1) whole, through the ML.NET component; (2) one token at a time through ONNX Runtime, each call's final_* outputs fed
// back as the next call's state inputs; (3) the first T tokens through the component, whose final-state columns then
// start ONNX Runtime on the K markers. All three must give the same logits. A model of another task reads T random
// tokens and then one of its special tokens (e.g. parity's query) the same way.
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using MinRnn.ML;

const double Tolerance = 1e-4;
var models = args.Length > 0 ? args : Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "models"), "*.onnx").Order().ToArray();
var ok = true;
foreach (var path in models)
{
    var info = SequenceModelInfo.Read(path);
    var (tokens, target) = Example(info, seed: 2024);
    var whole = Component(path, tokens);

    using var sessionOptions = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR }; // state defaults are meant
    using var session = new InferenceSession(path, sessionOptions);
    var stepped = new List<float>();
    Dictionary<string, float[]>? state = null;
    foreach (var token in tokens)
    {
        var (logits, next) = Step(session, info, [token], state);
        stepped.AddRange(logits);
        state = next;
    }

    var prefix = Component(path, tokens[..info.TaskSeqLen]);
    var (rest, _) = Step(session, info, tokens[info.TaskSeqLen..], prefix.States);
    var tail = tokens.Length - info.TaskSeqLen;
    float[] resumed = [.. prefix.Logits, .. rest];

    var dStep = MaxDiff(whole.Logits, [.. stepped]);
    var dState = info.States.Max(s => MaxDiff(whole.States[s.Name], state![s.Name]));
    var dResume = MaxDiff(whole.Logits, resumed);
    var same = Argmax([.. stepped], info.Vocab).SequenceEqual(whole.Predictions);
    var answer = whole.Predictions[^tail..];
    Console.WriteLine($"{Path.GetFileNameWithoutExtension(path)}: {tokens.Length} tokens one at a time (ONNX Runtime, state carried) vs whole (ML.NET): " +
                      $"max |Δ logit| {dStep:0.0e+00}, predictions {(same ? "identical" : "DIFFERENT")}, final states max |Δ| {dState:0.0e+00}");
    Console.WriteLine($"    first {info.TaskSeqLen} tokens through ML.NET, its final-state columns fed to ONNX Runtime for the last {tail}: " +
                      $"max |Δ logit| {dResume:0.0e+00}; answer {string.Join(' ', answer)}" + (target is null ? "" : $" (target {string.Join(' ', target)})"));
    ok &= same && dStep <= Tolerance && dState <= Tolerance && dResume <= Tolerance;
}
Console.WriteLine(ok ? "streaming equals whole-sequence: yes" : "streaming equals whole-sequence: NO");
return ok ? 0 : 1;

// The whole sequence through the ML.NET component: predictions, logits (T·vocab) and the final states by state name.
static (long[] Predictions, float[] Logits, Dictionary<string, float[]> States) Component(string model, long[] tokens)
{
    var ml = new MLContext();
    var data = ml.Data.LoadFromEnumerable(new[] { new TokenRow { Tokens = tokens } });
    var options = new SequenceModelOptions { ModelFile = model, LogitsColumnName = "Logits", FinalStateColumnPrefix = "final_" };
    using var component = ml.Transforms.ApplySequenceModel(options).Fit(data);   // disposing removes ML.NET's temporary model files
    var output = component.Transform(data);
    var states = component.Info.States.ToDictionary(s => s.Name, s => output.GetColumn<float[]>("final_" + s.Name).Single());
    return (output.GetColumn<long[]>("Predictions").Single(), output.GetColumn<float[]>("Logits").Single(), states);
}

// One ONNX Runtime call on a piece of the sequence, from the given states (null: the model's zero defaults).
static (float[] Logits, Dictionary<string, float[]> States) Step(InferenceSession session, SequenceModelInfo info, long[] piece,
    Dictionary<string, float[]>? states)
{
    var names = new List<string> { SequenceModelInfo.TokensInput };
    var values = new List<OrtValue> { OrtValue.CreateTensorValueFromMemory(piece, [1, piece.Length]) };
    if (states is not null)
        foreach (var s in info.States)
        {
            names.Add(s.Name);
            values.Add(OrtValue.CreateTensorValueFromMemory(states[s.Name], [1, .. s.Shape]));
        }
    string[] outputs = [SequenceModelInfo.LogitsOutput, .. info.States.Select(s => s.OutputName)];
    try
    {
        using var results = session.Run(new RunOptions(), names, values, outputs);
        var next = info.States.Select((s, i) => (s.Name, results[1 + i].GetTensorDataAsSpan<float>().ToArray())).ToDictionary(p => p.Name, p => p.Item2);
        return (results[0].GetTensorDataAsSpan<float>().ToArray(), next);
    }
    finally { values.ForEach(v => v.Dispose()); }
}

// A selective-copying example: K data tokens at sorted random positions of T noise tokens, then K markers. Another task:
// T random tokens, then one special token (no target: the sample shows streaming, not the task).
static (long[] Tokens, long[]? Target) Example(SequenceModelInfo info, int seed)
{
    var random = new Random(seed);
    if (info.Task != SequenceModelInfo.SelectiveCopyingTask)
        return ([.. Enumerable.Range(0, info.TaskSeqLen).Select(_ => (long)random.Next(info.Vocab)), info.SpecialTokens.Values.DefaultIfEmpty(0).Min()], null);
    var positions = Enumerable.Range(0, info.TaskSeqLen).OrderBy(_ => random.Next()).Take(info.TaskTokens).Order().ToArray();
    var target = positions.Select(_ => (long)random.Next(1, info.Vocab - 1)).ToArray();
    var tokens = Enumerable.Repeat(info.NoiseToken, info.TaskSeqLen + info.TaskTokens).ToArray();
    for (var k = 0; k < positions.Length; k++) (tokens[positions[k]], tokens[info.TaskSeqLen + k]) = (target[k], info.MarkerToken);
    return (tokens, target);
}

static double MaxDiff(float[] a, float[] b) =>
    a.Length == b.Length ? a.Zip(b).Max(p => Math.Abs((double)p.First - p.Second)) : double.PositiveInfinity;

static long[] Argmax(float[] logits, int vocab) =>
    logits.Chunk(vocab).Select(step => (long)Array.IndexOf(step, step.Max())).ToArray();

public sealed class TokenRow { [VectorType] public long[] Tokens { get; set; } = []; }
