using System.Text.Json;
using System.Text.Json.Serialization;

namespace MinRnn.Cli.Sweep;

/// <summary>One run of a sweep: its folder name and the `minrnn train` arguments that define it.</summary>
public sealed record SweepRun(string Name, string Model, int Layers, long Seed, int SeqLen, int Tokens, string[] TrainArgs);

/// <summary>The grid of a sweep (models × layers × seeds × task settings) plus the training options every run
/// shares. Written into sweep.json; a sweep folder holds one grid.</summary>
public sealed record SweepGrid(
    string[] Models, int[] Layers, long[] Seeds, int[] SeqLens, int[] Tokens, string Preset, string[] TrainArgs)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Every run, in a fixed order (model, layers, task setting, seed): shards split this list.</summary>
    public List<SweepRun> Runs() =>
        (from model in Models
         from layers in Layers
         from seqLen in SeqLens
         from tokens in Tokens
         from seed in Seeds
         select new SweepRun($"{model}-L{layers}-T{seqLen}-K{tokens}-s{seed}", model, layers, seed, seqLen, tokens,
             ["--model", model, "--layers", $"{layers}", "--seq-len", $"{seqLen}", "--tokens", $"{tokens}", "--seed", $"{seed}",
              "--preset", Preset, .. TrainArgs])).ToList();

    /// <summary>The runs of shard `index` of `count`: every count-th run, starting at index.</summary>
    public List<SweepRun> Shard(int index, int count) => Runs().Where((_, i) => i % count == index).ToList();

    public bool SameGridAs(SweepGrid other) =>
        Models.SequenceEqual(other.Models) && Layers.SequenceEqual(other.Layers) && Seeds.SequenceEqual(other.Seeds) &&
        SeqLens.SequenceEqual(other.SeqLens) && Tokens.SequenceEqual(other.Tokens) && Preset == other.Preset &&
        TrainArgs.SequenceEqual(other.TrainArgs);
}

/// <summary>sweep.json: the grid and the state of each run, derived from the run folders when written.</summary>
public sealed record SweepManifest(string Version, SweepGrid Grid, List<SweepManifest.Entry> Runs)
{
    public sealed record Entry(string Name, string Model, int Layers, long Seed, int SeqLen, int Tokens, string State);
}
