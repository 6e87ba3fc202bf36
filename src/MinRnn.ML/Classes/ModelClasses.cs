using System.Globalization;
using System.Text.Json;

namespace MinRnn.ML.Classes;

/// <summary>What a <c>classify</c> model's metadata says about its classes (docs/OWN_DATA.md): the class names in the
/// model's order (<c>task_options.class_names</c>), whether the training labels were integers, the id of the first class
/// token (class c is token <see cref="FirstToken"/> + c, right after <c>pad</c>) and T, the steps <c>minrnn predict</c>
/// reads of a row (a longer row is answered at step T).</summary>
internal sealed record ModelClasses(string[] Names, bool IntegerLabels, long FirstToken, int SeqLen)
{
    public const string ClassifyTask = "classify";

    public int Count => Names.Length;

    /// <summary>The classes of a classify model; null for every other task.</summary>
    public static ModelClasses? Of(SequenceModelInfo info)
    {
        if (info.Task != ClassifyTask) return null;
        string Option(string key) => info.TaskOptions.TryGetValue(key, out var v) ? v
            : throw new InvalidDataException($"MinRnn: the classify model has no task option '{key}'");
        string[] names;
        try { names = JsonSerializer.Deserialize<string[]>(Option("class_names")) ?? []; }
        catch (JsonException e) { throw new InvalidDataException($"MinRnn: task option 'class_names' is not a JSON list of names ('{Option("class_names")}')", e); }
        if (names.Length < 2) throw new InvalidDataException($"MinRnn: the classify model has {names.Length} class names; it needs at least two");
        if (!info.SpecialTokens.TryGetValue("pad", out var pad))
            throw new InvalidDataException("MinRnn: the classify model has no special token 'pad' (its class tokens follow it)");
        if (pad + 1 + names.Length != info.Vocab)
            throw new InvalidDataException($"MinRnn: the classify model's {names.Length} class tokens after 'pad' ({pad}) do not end its vocabulary of {info.Vocab}");
        return new ModelClasses(names, Option("integer_labels") == "true", pad + 1, int.Parse(Option("seq_len"), CultureInfo.InvariantCulture));
    }
}
