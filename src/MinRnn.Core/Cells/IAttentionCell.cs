using static TorchSharp.torch;

namespace MinRnn.Cells;

/// <summary>A cell that mixes positions by softmax attention (PositionMixing.Attention): explain's attention rollout reads
/// only this, so a new attention kind that implements it joins the rollout without a change in MinRnn.Explain.</summary>
public interface IAttentionCell
{
    /// <summary>The attention weights a_ij (B, H, T, T) of input x (B, T, d) from the empty cache: what forward mixes the
    /// values with.</summary>
    Tensor Attention(Tensor x);
}
