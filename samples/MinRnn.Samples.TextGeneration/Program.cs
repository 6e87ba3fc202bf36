// Text generation: a character language model (`minrnn train --preset char`, exported by `minrnn export`) read through
// ONNX Runtime one character at a time. The alphabet comes from the model's own metadata (task_options "alphabet"; the
// id after its last character is "unknown"), so no vocabulary file is needed. The prompt is read once; then each chosen
// character is fed back alone, the previous call's final_* outputs given as the state_* inputs, so the prefix is never
// read again. Greedy (the first largest logit): `minrnn generate --onnx FILE --prompt P --length N --temperature 0`
// gives the same text.
//   dotnet run --project samples/MinRnn.Samples.TextGeneration -- [--model FILE] [--prompt TEXT] [--length N] [--out FILE]
using System.Text;
using Microsoft.ML.OnnxRuntime;
using MinRnn.ML;

var model = Option("--model") ?? Path.Combine(AppContext.BaseDirectory, "models", "char", "mingru-kjv.onnx");
var prompt = Option("--prompt") ?? "And God said";
var length = int.Parse(Option("--length") ?? "300", System.Globalization.CultureInfo.InvariantCulture);
var outPath = Option("--out");

var info = SequenceModelInfo.Read(model);
if (!info.TaskOptions.TryGetValue("alphabet", out var alphabet))
{
    Console.Error.WriteLine($"{model}: not a character language model (no task option 'alphabet'; task {info.Task})");
    return 2;
}
string[] characters = [.. alphabet.EnumerateRunes().Select(r => r.ToString())];
var unknown = characters.Length;                                   // vocab = alphabet + "unknown"
var index = characters.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (long)p.i);
long[] promptIds = [.. prompt.EnumerateRunes().Select(r => index.GetValueOrDefault(r.ToString(), unknown))];

using var sessionOptions = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
using var session = new InferenceSession(model, sessionOptions);
Console.WriteLine($"{Path.GetFileName(model)}: {info.Cell} × {info.Layers}, vocabulary {info.Vocab} ({characters.Length} characters from " +
                  $"task_options + unknown), state {string.Join(", ", info.States.Select(s => $"{s.Name} [{string.Join('×', s.Shape)}]"))}");

var text = new StringBuilder(prompt);
var (logits, state) = Step(session, info, promptIds, null);       // the prompt, once, from the zero state
for (var n = 0; n < length; n++)
{
    var id = ArgMax(logits);
    text.Append(id < unknown ? characters[id] : "\uFFFD");
    if (n + 1 < length) (logits, state) = Step(session, info, [id], state);
}
Console.WriteLine($"prompt + {length} greedy characters (ONNX Runtime, state carried):");
Console.WriteLine(text);
if (outPath is not null) File.WriteAllText(outPath, text.ToString());
return 0;

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

// One ONNX Runtime call on a piece of text: the logits after its last character and the final states (null state: the
// model's zero defaults).
static (float[] Logits, Dictionary<string, float[]> State) Step(InferenceSession session, SequenceModelInfo info, long[] piece,
    Dictionary<string, float[]>? state)
{
    var names = new List<string> { SequenceModelInfo.TokensInput };
    var values = new List<OrtValue> { OrtValue.CreateTensorValueFromMemory(piece, [1, piece.Length]) };
    if (state is not null)
        foreach (var s in info.States)
        {
            names.Add(s.Name);
            values.Add(OrtValue.CreateTensorValueFromMemory(state[s.Name], [1, .. s.Shape]));
        }
    string[] outputs = [SequenceModelInfo.LogitsOutput, .. info.States.Select(s => s.OutputName)];
    try
    {
        using var results = session.Run(new RunOptions(), names, values, outputs);
        var next = info.States.Select((s, i) => (s.Name, Values: results[1 + i].GetTensorDataAsSpan<float>().ToArray())).ToDictionary(p => p.Name, p => p.Values);
        return (results[0].GetTensorDataAsSpan<float>()[^info.Vocab..].ToArray(), next);
    }
    finally { values.ForEach(v => v.Dispose()); }
}

// The first largest logit, as `minrnn generate --temperature 0` chooses.
static int ArgMax(float[] logits)
{
    var best = 0;
    for (var i = 1; i < logits.Length; i++)
        if (logits[i] > logits[best]) best = i;
    return best;
}
