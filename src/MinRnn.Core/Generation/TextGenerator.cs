using System.Text;
using MinRnn.Tasks;

namespace MinRnn.Generation;

/// <summary>A model read one piece at a time with its recurrent state carried between calls (TorchSharp's
/// Forward(x, state), ONNX Runtime's state inputs and final_* outputs): Feed returns the logits after the last token.</summary>
public interface ITokenStream : IDisposable
{
    float[] Feed(long[] tokens);
}

/// <summary>Character-by-character generation from a char-lm model: the prompt is read once, then each sampled
/// character is fed back alone, the state carrying everything before it (the prefix is never read again).</summary>
public static class TextGenerator
{
    /// <param name="emit">Receives each generated character as it is drawn.</param>
    /// <returns>The generated text (without the prompt).</returns>
    public static string Generate(ITokenStream model, CharLm task, string prompt, int length, SamplingOptions options, Action<string>? emit = null)
    {
        if (length < 1) throw new ArgumentException($"length: must be ≥ 1 (got {length})");
        var (ids, _) = task.Encode(prompt);
        if (ids.Length == 0) throw new ArgumentException("prompt: empty (generation starts from at least one character)");
        var sampler = new Sampler(options);
        var text = new StringBuilder();
        var logits = model.Feed(ids);
        for (var n = 0; n < length; n++)
        {
            var id = sampler.Next(logits);
            var character = task.Decode(id);
            text.Append(character);
            emit?.Invoke(character);
            if (n + 1 < length) logits = model.Feed([id]);
        }
        return text.ToString();
    }
}
