using MinRnn.Models;
using MinRnn.Onnx.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Onnx.Verify;

/// <summary>The random inputs the verifiers feed both runtimes, in the model's own input form: token ids uniform over the
/// vocabulary (B, T) int64, or numeric steps (B, T, F) float32 drawn as mean + std · N(0, 1) with the model's own
/// standardisation, so the projection sees standard-normal values whatever the scale of the training rows.</summary>
internal static class VerifyInputs
{
    public static Tensor Random(SequenceModel model, int batch, int time, Generator generator)
    {
        if (model.Config.Features is not { } f) return randint(0, model.Config.Vocab, [batch, time], dtype: int64, generator: generator);
        using var scope = NewDisposeScope();
        var (mean, std) = model.Standardisation!.Value;
        return (tensor(mean) + tensor(std) * randn([batch, time, f], generator: generator)).MoveToOuterDisposeScope();
    }

    /// <summary>One ONNX Runtime call on a CPU input of either form (B, T) or (B, T, F).</summary>
    public static OnnxResult Run(OnnxModel onnx, Tensor input, IReadOnlyDictionary<string, float[]>? states = null, long[]? lengths = null)
    {
        using var cpu = input.cpu().contiguous();
        var (batch, time) = ((int)cpu.shape[0], (int)cpu.shape[1]);
        return cpu.dtype == ScalarType.Int64
            ? onnx.Run(cpu.data<long>().ToArray(), batch, time, states, lengths)
            : onnx.Run(cpu.data<float>().ToArray(), batch, time, states, lengths);
    }
}
