using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Onnx.Export;

/// <summary>A model's parameters by state-dict name (e.g. `blocks.0.cell.to_hidden_and_gate.weight`), as float32 on
/// the CPU; exporters read them by name, so the graph follows the checkpoint, not the module classes.</summary>
internal sealed class Weights(IReadOnlyDictionary<string, Tensor> tensors)
{
    public Tensor this[string name] => tensors.TryGetValue(name, out var t)
        ? t.detach().cpu().to_type(float32)
        : throw new InvalidDataException($"weights: '{name}' is missing (have {string.Join(", ", tensors.Keys.Take(6))}, …)");

    public bool Has(string name) => tensors.ContainsKey(name);

    /// <summary>Linear weight W (out, in) as the right operand of x·Wᵀ, i.e. (in, out).</summary>
    public Tensor Right(string name) => this[name].t();

    /// <summary>An input weight W (out, d) for one-hot token inputs: W·Uᵀ (out, V), U (V, d) the cell inputs per token
    /// (computed in float64); W itself when U is null.</summary>
    public static Tensor ByToken(Tensor weight, Tensor? tokenInputs) =>
        tokenInputs is null ? weight : weight.to_type(float64).matmul(tokenInputs.to_type(float64).t()).to_type(float32);

    /// <summary>Reorders the row blocks of a gate-stacked tensor (PyTorch order → ONNX order): block k of the result is
    /// block order[k] of the input.</summary>
    public static Tensor ReorderGates(Tensor stacked, int[] order)
    {
        var blocks = stacked.chunk(order.Length, 0);
        return cat(order.Select(k => blocks[k]).ToArray(), 0);
    }
}
